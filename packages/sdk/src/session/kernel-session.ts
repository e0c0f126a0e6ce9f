import type { LaunchEvent } from '@binder-cell/launch-protocol';
import { requestLaunch } from '../launch/launch-client.js';
import type { SessionSettings } from '../settings.js';
import type { ExecuteReply, IOPubMessage, KernelChange, KernelHandle } from './runtime.js';

/**
 * Where a session is: `new` until a cell runs; `launching` while the server builds and
 * starts it; `ready` once a kernel is connected; `failed`, `dead` or `disconnected` when
 * something went wrong (a restart relaunches).
 */
export type SessionState = 'new' | 'launching' | 'ready' | 'failed' | 'dead' | 'disconnected';

export interface SessionStatus {
  state: SessionState;
  /** One line for people: the launch phase, the kernel's state, or what went wrong. */
  message: string;
  /** The latest build output line while launching. */
  log?: string;
  busy: boolean;
}

export const READY_MESSAGE = 'Kernel ready';

const PHASE_MESSAGES: Record<string, string> = {
  waiting: 'Waiting for the launch server…',
  resolving: 'Finding the repository…',
  fetching: 'Fetching the repository…',
  building: 'Preparing the environment…',
  launching: 'Starting a kernel server…',
};

/**
 * One launched session and its kernel, shared by every cell with the same settings.
 * Launches on first use; tells listeners about every change with a `status` event.
 */
export class KernelSession extends EventTarget {
  status: SessionStatus = { state: 'new', message: '', busy: false };
  private connecting: Promise<KernelHandle> | undefined;
  private handle: KernelHandle | undefined;
  private restarting = false;

  constructor(readonly settings: SessionSettings) {
    super();
  }

  /** The connected kernel; the first call launches the session. */
  connect(): Promise<KernelHandle> {
    this.connecting ??= this.start().catch((error: unknown) => {
      this.connecting = undefined;
      this.update({ state: 'failed', message: errorMessage(error), log: undefined, busy: false });
      throw error;
    });
    return this.connecting;
  }

  async execute(code: string, onMessage: (message: IOPubMessage) => void): Promise<ExecuteReply> {
    const handle = await this.connect();
    return handle.execute(code, onMessage);
  }

  /** Restarts the kernel, or launches a new session when the old one is gone. */
  async restart(): Promise<void> {
    if (this.handle && this.status.state !== 'disconnected') {
      this.update({ message: 'Restarting the kernel…' });
      await this.handle.restart();
      return;
    }
    this.handle?.dispose();
    this.handle = undefined;
    this.connecting = undefined;
    await this.connect();
  }

  async interrupt(): Promise<void> {
    await this.handle?.interrupt();
  }

  dispose(): void {
    this.handle?.dispose();
  }

  private async start(): Promise<KernelHandle> {
    this.update({ state: 'launching', message: PHASE_MESSAGES.waiting ?? '', log: undefined });
    const { settings } = this;
    const ready = await requestLaunch(
      settings.server,
      {
        repo: settings.repo,
        kernel: settings.kernel,
        ...(settings.ref ? { ref: settings.ref } : {}),
      },
      (event) => this.onLaunchEvent(event),
    );
    this.update({ message: 'Starting the kernel…', log: undefined });
    const runtime = await import('./runtime.js');
    this.handle = await runtime.connectKernel(ready, (change) => this.onKernelChange(change));
    this.update({ state: 'ready', message: READY_MESSAGE, busy: false });
    return this.handle;
  }

  private onLaunchEvent(event: LaunchEvent): void {
    if (event.phase === 'ready' || event.phase === 'failed') return;
    // A build log line belongs to its phase: a new step clears it.
    const message = PHASE_MESSAGES[event.phase] ?? event.phase;
    this.update({
      message,
      log: event.log ?? (message === this.status.message ? this.status.log : undefined),
    });
  }

  private onKernelChange(change: KernelChange): void {
    if (change.kind === 'gone') {
      this.update({
        state: 'disconnected',
        message: 'The session has ended (it was idle too long or the server restarted).',
        busy: false,
      });
      return;
    }
    if (change.kind === 'connection') {
      if (change.status === 'disconnected') {
        this.update({
          state: 'disconnected',
          message: 'Lost the connection to the session.',
          busy: false,
        });
      } else if (change.status === 'connecting') {
        this.update({ message: 'Reconnecting to the kernel…' });
      } else if (this.status.state === 'disconnected') {
        this.update({ state: 'ready', message: READY_MESSAGE });
      }
      return;
    }
    switch (change.status) {
      case 'dead':
        this.update({ state: 'dead', message: 'The kernel died.', busy: false });
        break;
      case 'autorestarting':
        this.restarting = true;
        this.update({ message: 'The kernel died and is restarting…', busy: false });
        break;
      case 'restarting':
        this.restarting = true;
        this.update({ message: 'Restarting the kernel…', busy: false });
        break;
      case 'busy':
        this.update({ state: 'ready', busy: true });
        break;
      case 'idle':
        this.update({
          state: 'ready',
          busy: false,
          ...(this.restarting
            ? { message: 'The kernel restarted: earlier results are gone.' }
            : {}),
        });
        this.restarting = false;
        break;
      default:
        break;
    }
  }

  private update(change: Partial<SessionStatus>): void {
    this.status = { ...this.status, ...change };
    this.dispatchEvent(new Event('status'));
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sessions = new Map<string, KernelSession>();

/** The page's session for these settings, created on first request. */
export function sessionFor(key: string, settings: SessionSettings): KernelSession {
  let session = sessions.get(key);
  if (!session) {
    session = new KernelSession(settings);
    sessions.set(key, session);
  }
  return session;
}
