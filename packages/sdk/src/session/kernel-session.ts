import { connectAny } from '../servers/federation.js';
import {
  forgetSavedSession,
  loadSavedSession,
  saveSession,
  sessionAlive,
} from '../servers/saved-sessions.js';
import type { Connection, Progress } from '../servers/types.js';
import type { SessionSettings } from '../settings.js';
import type {
  ExecuteCallbacks,
  ExecuteReply,
  IOPubMessage,
  KernelChange,
  KernelHandle,
} from './runtime.js';

/**
 * Where a session is: `new` until it is needed; `launching` while a server builds and
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
 * A display or display update with a display_id, from any run: every cell showing that
 * display updates it (Jupyter's `display(..., display_id=...)` and `handle.update()`).
 */
export class DisplayEvent extends Event {
  static readonly type = 'display';

  constructor(
    readonly message: IOPubMessage,
    readonly sanitize: (html: string) => string,
  ) {
    super(DisplayEvent.type);
  }
}

/** Runs a setup cell's code on a freshly started kernel. */
export type SetupRunner = (handle: KernelHandle) => Promise<void>;

/**
 * One session and its kernel, shared by every cell with the same settings. Launches on
 * first use (or eagerly), reuses a session saved by an earlier page load when it still
 * answers, runs setup cells before anything else, and tells listeners about every change
 * with a `status` event.
 */
export class KernelSession extends EventTarget {
  status: SessionStatus = { state: 'new', message: '', busy: false };
  /** The kernel server of the running session, for what it serves besides kernels. */
  connection: Connection | undefined;
  private connecting: Promise<KernelHandle> | undefined;
  private handle: KernelHandle | undefined;
  private restarting = false;
  private readonly setups = new Map<Element, SetupRunner>();

  constructor(
    readonly key: string,
    readonly settings: SessionSettings,
  ) {
    super();
  }

  /** The connected kernel, after setup cells ran; the first call launches the session. */
  connect(): Promise<KernelHandle> {
    this.connecting ??= this.start().catch((error: unknown) => {
      this.connecting = undefined;
      this.update({ state: 'failed', message: errorMessage(error), log: undefined, busy: false });
      throw error;
    });
    return this.connecting;
  }

  async execute(code: string, callbacks: ExecuteCallbacks): Promise<ExecuteReply> {
    const handle = await this.connect();
    return handle.execute(code, callbacks);
  }

  /** Setup cells run, in page order, whenever a new kernel starts, before any other cell. */
  addSetup(cell: Element, runner: SetupRunner): void {
    this.setups.set(cell, runner);
  }

  removeSetup(cell: Element): void {
    this.setups.delete(cell);
  }

  /** Restarts the kernel (then its setup cells), or launches a new session when the old one is gone. */
  async restart(): Promise<void> {
    if (this.handle && this.status.state !== 'disconnected') {
      this.update({ message: 'Restarting the kernel…' });
      await this.afterRestart(this.handle, this.handle.restart());
      return;
    }
    this.handle?.dispose();
    this.handle = undefined;
    this.connecting = undefined;
    forgetSavedSession(this.key);
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
    const saved = loadSavedSession(this.key, this.settings.reuse);
    let connection: Connection;
    if (saved && (await sessionAlive(saved.connection))) {
      this.update({ message: 'Reconnecting to your session…' });
      connection = saved.connection;
    } else {
      connection = await connectAny(this.settings, (progress) => this.onProgress(progress));
    }
    this.connection = connection;
    this.update({ message: 'Starting the kernel…', log: undefined });
    const runtime = await import('./runtime.js');
    const handle = await runtime.connectKernel(connection, {
      ...(saved?.connection === connection && saved.kernelId ? { kernelId: saved.kernelId } : {}),
      onChange: (change) => this.onKernelChange(change),
      widgets: {
        moduleUrl: this.settings.widgetsUrl,
        allowJavascript: this.settings.allowJavascript,
      },
      onDisplay: (message) => this.dispatchEvent(new DisplayEvent(message, runtime.sanitizeHtml)),
    });
    this.handle = handle;
    saveSession(this.key, { connection, kernelId: handle.kernel.id, savedAt: Date.now() });
    if (!handle.reused) await this.runSetup(handle);
    this.update({ state: 'ready', message: READY_MESSAGE, busy: false });
    return handle;
  }

  /** Runs the setup cells once a restart is done; cells that run meanwhile wait for them. */
  private afterRestart(handle: KernelHandle, restarted: Promise<void>): Promise<KernelHandle> {
    const ready = restarted.then(() => this.runSetup(handle)).then(() => handle);
    this.connecting = ready.catch(() => handle);
    return ready;
  }

  private async runSetup(handle: KernelHandle): Promise<void> {
    const cells = [...this.setups.keys()].sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );
    for (const cell of cells) await this.setups.get(cell)?.(handle);
  }

  private onProgress(progress: Progress): void {
    // A build log line belongs to its phase: a new step clears it.
    const message = progress.note ?? PHASE_MESSAGES[progress.phase] ?? progress.phase;
    this.update({
      message,
      log: progress.log ?? (message === this.status.message ? this.status.log : undefined),
    });
  }

  private onKernelChange(change: KernelChange): void {
    if (change.kind === 'gone') {
      forgetSavedSession(this.key);
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
        // The new kernel is empty: its setup cells go first. They start a microtask later,
        // once the kernel client has dropped the old kernel's state, and their requests
        // wait in its queue until the kernel is back.
        if (this.handle) {
          void this.afterRestart(this.handle, Promise.resolve()).catch(() => undefined);
        }
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
