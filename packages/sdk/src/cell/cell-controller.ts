import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { KernelSession } from '../session/kernel-session.js';
import { sessionFor } from '../session/kernel-session.js';
import { resolveSettings, sessionKey } from '../settings.js';
import { OutputModel } from './output-model.js';

/** `waiting`: for the session to launch; `running`: the kernel has the code. */
export type RunState = 'idle' | 'waiting' | 'running';

/**
 * A cell's life outside its element: which session it belongs to, running its code,
 * and the outputs that come back.
 */
export class CellController implements ReactiveController {
  readonly outputs = new OutputModel();
  session: KernelSession | undefined;
  /** Why this cell cannot run at all (bad settings); shown instead of a status. */
  problem: string | undefined;
  /** What went wrong with the last run. */
  runError: string | undefined;
  state: RunState = 'idle';
  executionCount: number | null = null;
  /** True once this cell has asked its session for anything. */
  used = false;

  private readonly onStatus = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.findSession();
  }

  hostDisconnected(): void {
    this.session?.removeEventListener('status', this.onStatus);
  }

  async run(code: string): Promise<void> {
    // Settings may have been added to the page since the cell connected.
    const session = this.session ?? this.findSession();
    if (!session || this.state !== 'idle') return;
    this.used = true;
    this.runError = undefined;
    this.state = 'waiting';
    this.host.requestUpdate();
    try {
      const handle = await session.connect();
      this.outputs.clear();
      this.state = 'running';
      this.host.requestUpdate();
      const reply = await handle.execute(code, (message) => {
        if (this.outputs.apply(message, handle.sanitize)) this.host.requestUpdate();
      });
      this.executionCount = reply.executionCount;
    } catch {
      // A launch that fails shows as the session's status; a run that breaks off is the cell's.
      if (this.state === 'running') {
        this.runError = 'The run was cut short: the kernel restarted or the connection dropped.';
      }
    } finally {
      this.state = 'idle';
      this.host.requestUpdate();
    }
  }

  private findSession(): KernelSession | undefined {
    const result = resolveSettings(this.host);
    if (!result.ok) {
      this.problem = result.problem;
      return undefined;
    }
    this.problem = undefined;
    this.session = sessionFor(sessionKey(result.settings), result.settings);
    this.session.addEventListener('status', this.onStatus);
    return this.session;
  }

  async restart(): Promise<void> {
    this.used = true;
    this.runError = undefined;
    this.host.requestUpdate();
    await this.session?.restart().catch(() => undefined);
  }
}
