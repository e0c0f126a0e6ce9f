import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { BinderErrorEvent } from '../events/binder-error-event.js';
import { BinderOutputEvent } from '../events/binder-output-event.js';
import { BinderStatusEvent } from '../events/binder-status-event.js';
import type { RunState } from '../events/binder-status-event.js';
import type { DisplayEvent, KernelSession } from '../session/kernel-session.js';
import { sessionFor } from '../session/session-registry.js';
import type { InputRequest, IOPubMessage, KernelHandle } from '../session/runtime.js';
import { resolveSettings } from '../settings.js';
import type { SessionSettings } from '../settings.js';
import { OutputModel } from './output-model.js';
import { loadTerminal } from './terminal-loader.js';

/** An `input()` the kernel waits for, answered from the cell. */
export interface PendingInput extends InputRequest {
  answer(value: string): void;
}

type Host = ReactiveControllerHost & HTMLElement;

/** Longest wait for changed outputs to show when no animation frame comes first. */
const SHOW_OUTPUTS_AFTER_MS = 250;

/**
 * A cell's life outside its element: which session it belongs to, running its code
 * (queued behind other cells, answering `input()`), the outputs that come back, and the
 * events that tell the page.
 */
export class CellController implements ReactiveController {
  readonly outputs = new OutputModel();
  session: KernelSession | undefined;
  settings: SessionSettings | undefined;
  /** Why this cell cannot run at all (bad settings); shown instead of a status. */
  problem: string | undefined;
  /** What went wrong with the last run. */
  runError: string | undefined;
  state: RunState = 'idle';
  executionCount: number | null = null;
  /** True once this cell has asked its session for anything. */
  used = false;
  /** True once this cell has run (pre-rendered outputs give way then). */
  ran = false;
  input: PendingInput | undefined;

  /** What the last status event told, so each change is told once. */
  private told = '';
  /** Re-renders the status line each second while a launch's elapsed time shows. */
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Cancels the frame and timer that will show the latest outputs (see outputsChanged). */
  private cancelShowing: (() => void) | undefined;
  private readonly onStatus = () => this.changed();
  private readonly onDisplay = ({ message, sanitize }: DisplayEvent) => {
    const options = { sanitize, allowJavascript: this.settings?.allowJavascript ?? false };
    if (this.outputs.updateDisplay(message, options)) this.outputsChanged();
  };

  constructor(
    private readonly host: Host,
    private readonly code: () => string,
    private readonly isSetup: () => boolean,
    /** Whether the code comes from a console transcript (each result shows, see `in-prompt`). */
    private readonly isTranscript: () => boolean = () => false,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.findSession();
  }

  hostDisconnected(): void {
    this.showOutputs();
    // Nobody is left to answer the input() the kernel waits for.
    if (this.input) void this.session?.interrupt();
    this.listen(false);
    this.session?.removeSetup(this.host);
    this.tick(false);
  }

  /** Runs the cell's code, launching its session first if needed. */
  async run(): Promise<void> {
    // Settings may have been added to the page since the cell connected.
    const session = this.session ?? this.findSession();
    if (!session || this.state !== 'idle') return;
    this.used = true;
    this.runError = undefined;
    this.setState('waiting');
    let handle: KernelHandle;
    try {
      handle = await session.connect();
    } catch (error) {
      // A failed launch shows as the session's status; a session out of reach, as the run's.
      const launchFailed = session.status.state === 'failed';
      if (!launchFailed) this.runError = error instanceof Error ? error.message : String(error);
      this.setState('idle');
      this.host.dispatchEvent(
        new BinderErrorEvent({
          kind: 'launch',
          message: launchFailed ? session.status.message : (this.runError ?? ''),
        }),
      );
      return;
    }
    await this.runWith(handle);
  }

  async interrupt(): Promise<void> {
    await this.session?.interrupt();
  }

  async restart(): Promise<void> {
    this.used = true;
    this.runError = undefined;
    this.changed();
    await this.session?.restart().catch(() => undefined);
  }

  private async runWith(handle: KernelHandle): Promise<void> {
    const session = this.session as KernelSession;
    // The outputs stay until the kernel starts this run: a run it skips keeps them.
    const run = { started: false };
    if (!this.isSetup()) session.acknowledge();
    try {
      await loadTerminal();
      // After the shared load, so cells that wait on it together count each other ahead.
      this.setState(session.runsAhead > 0 ? 'queued' : 'running');
      const reply = await session.run(handle, this.code(), {
        onIOPub: (message) => this.onIOPub(message, handle, run),
        onInput: (request) => this.ask(request),
        echoEveryResult: this.isTranscript(),
      });
      if (reply.status === 'aborted') {
        this.runError = 'Not run: a cell before it raised an error.';
        return;
      }
      this.executionCount = reply.executionCount ?? this.executionCount;
      if (reply.status === 'error') {
        const error = this.outputs.outputs.find((output) => output.kind === 'error');
        const message =
          error?.kind === 'error' ? `${error.ename}: ${error.evalue}` : 'The code raised an error.';
        this.host.dispatchEvent(new BinderErrorEvent({ kind: 'execution', message }));
      }
    } catch (error) {
      // A run that breaks off is the cell's to report (the session says why, see KernelSession.run).
      this.runError = error instanceof Error ? error.message : String(error);
      this.host.dispatchEvent(new BinderErrorEvent({ kind: 'kernel', message: this.runError }));
    } finally {
      this.showOutputs();
      this.input = undefined;
      this.setState('idle');
    }
  }

  private onIOPub(message: IOPubMessage, handle: KernelHandle, run: { started: boolean }): void {
    const type = message.header.msg_type;
    if (!run.started && type !== 'status') {
      // The kernel runs this code now (it sends no input or output for a run it skips).
      run.started = true;
      this.ran = true;
      this.outputs.clear();
      this.outputsChanged();
    }
    if (
      type === 'status' &&
      (message.content as { execution_state?: string }).execution_state === 'busy'
    ) {
      this.setState('running');
    } else if (type === 'execute_input') {
      this.executionCount = (message.content as { execution_count: number }).execution_count;
      this.changed();
    } else if (
      // Display updates reach every cell through the session (see onDisplay).
      type !== 'update_display_data' &&
      this.outputs.apply(message, {
        sanitize: handle.sanitize,
        allowJavascript: this.settings?.allowJavascript ?? false,
      })
    ) {
      this.outputsChanged();
    }
  }

  /**
   * Shows changed outputs at the next animation frame: a kernel may send thousands of
   * messages a second, and the page only needs to render as often as it paints. Pages
   * that are hidden run no frames; a timer shows their outputs all the same.
   */
  private outputsChanged(): void {
    if (this.cancelShowing) return;
    const show = () => this.showOutputs();
    const frame = requestAnimationFrame(show);
    const timer = setTimeout(show, SHOW_OUTPUTS_AFTER_MS);
    this.cancelShowing = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }

  /** Renders the outputs and tells the page, if they changed since it last did. */
  private showOutputs(): void {
    if (!this.cancelShowing) return;
    this.cancelShowing();
    this.cancelShowing = undefined;
    this.changed();
    this.host.dispatchEvent(new BinderOutputEvent({ outputs: this.outputs.outputs }));
  }

  private ask(request: InputRequest): Promise<string> {
    return new Promise((resolve) => {
      this.input = {
        ...request,
        answer: (value) => {
          this.input = undefined;
          this.changed();
          resolve(value);
        },
      };
      this.changed();
    });
  }

  private findSession(): KernelSession | undefined {
    const result = resolveSettings(this.host);
    if (!result.ok) {
      this.problem = result.problem;
      return undefined;
    }
    this.problem = undefined;
    this.settings = result.settings;
    this.listen(false);
    this.session = sessionFor(result.settings);
    this.listen(true);
    if (this.isSetup()) {
      this.session.addSetup(
        this.host,
        (handle) => this.runWith(handle),
        () => this.code(),
      );
    }
    if (result.settings.launch === 'eager') void this.session.connect().catch(() => undefined);
    return this.session;
  }

  private listen(on: boolean): void {
    const method = on ? 'addEventListener' : 'removeEventListener';
    this.session?.[method]('status', this.onStatus);
    this.session?.[method]('display', this.onDisplay as EventListener);
  }

  private setState(state: RunState): void {
    this.state = state;
    this.changed();
  }

  /** Re-renders, and tells the page when the cell's or its session's state or message changed. */
  private changed(): void {
    this.host.requestUpdate();
    const session = this.session?.status;
    if (!session) return;
    this.tick(this.state === 'waiting' && session.state === 'launching');
    const told = JSON.stringify([this.state, session.state, session.message, session.busy]);
    if (told === this.told) return;
    this.told = told;
    this.host.dispatchEvent(new BinderStatusEvent({ run: this.state, session }));
  }

  private tick(on: boolean): void {
    if (on && !this.ticker) {
      this.ticker = setInterval(() => this.host.requestUpdate(), 1000);
    } else if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
