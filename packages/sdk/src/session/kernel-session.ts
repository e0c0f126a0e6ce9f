import {
  codeDigest,
  forgetSavedSession,
  loadLaunchDuration,
  loadSavedSession,
  saveLaunchDuration,
  saveSession,
  sessionAlive,
} from '../servers/saved-sessions.js';
import { LaunchError } from '../servers/types.js';
import type { Connection, Progress } from '../servers/types.js';
import type { SessionSettings } from '../settings.js';
import type { BuildProgress } from './launch-progress.js';
import type {
  ExecuteCallbacks,
  ExecuteReply,
  IOPubMessage,
  KernelChange,
  KernelHandle,
} from './runtime.js';

/**
 * Where a session is: `new` until it is needed; `launching` while a server builds and
 * starts it; `ready` once a kernel is connected; `failed` when the launch failed; `dead`
 * when the kernel died for good; `disconnected` when its server cannot be reached;
 * `ended` when the session no longer exists (culled, deleted, its server restarted).
 * Running a cell, or Restart, from `failed`, `disconnected` or `ended` starts anew.
 */
export type SessionState =
  'new' | 'launching' | 'ready' | 'failed' | 'dead' | 'disconnected' | 'ended';

export interface SessionStatus {
  state: SessionState;
  /** One line for people: the launch phase, the kernel's state, or what went wrong. */
  message: string;
  /** While launching: how far the build is, e.g. `step 3 of 9: installing 40 packages`. */
  progress?: string;
  /** While launching: when this launch started (ms since the epoch). */
  launchStartedAt?: number;
  /** While launching: how long the last launch with a build took here (ms), if known. */
  previousLaunchMs?: number;
  busy: boolean;
}

export const READY_MESSAGE = 'Kernel ready';
const ENDED_MESSAGE =
  'The session has ended (it was idle too long or the server restarted). Run starts a new one.';

const UNREACHABLE_MESSAGE =
  "Cannot reach the session's server right now: Run again once the connection is back.";

const RUN_CUT_SHORT = 'The run was cut short: the connection to the kernel dropped.';

/** What a kernel status means for the runs it interrupts. */
const STOPPED_BY: Partial<Record<string, string>> = {
  autorestarting:
    'The kernel died while this cell ran (it has restarted: earlier results are gone).',
  restarting: 'The kernel was restarted before this cell finished.',
  dead: 'The kernel died while this cell ran.',
};

/** The lines of a launch's log a session keeps (the newest). */
const MAX_LOG_LINES = 2000;

/** Launches shorter than this (ms) did not build; they say nothing about the next build. */
const BUILD_WORTH_REMEMBERING_MS = 5000;

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

/** Where the session's life is, apart from its kernel's own state. */
type Lifecycle =
  | { kind: 'new' }
  | {
      kind: 'launching';
      message: string;
      startedAt: number;
      /** Reads the build log; loaded with the launch code. */
      progress: BuildProgress | undefined;
      previousMs: number | undefined;
    }
  | { kind: 'connected' }
  | { kind: 'failed'; message: string }
  | { kind: 'ended' };

/**
 * One session and its kernel, shared by every cell with the same settings. Launches on
 * first use (or eagerly), reuses a session saved by an earlier page load when it still
 * answers, runs setup cells before anything else, and starts anew when the session has
 * ended. Dispatches `status` when `status` changes and `log` for each launch log line
 * (kept in `log`).
 */
export class KernelSession extends EventTarget {
  status: SessionStatus = { state: 'new', message: '', busy: false };
  /** The current (or last) launch's log lines. */
  readonly log: string[] = [];
  /** The kernel server of the running session, for what it serves besides kernels. */
  connection: Connection | undefined;
  private lifecycle: Lifecycle = { kind: 'new' };
  private kernelStatus = 'unknown';
  private socketStatus: 'connected' | 'connecting' | 'disconnected' = 'connected';
  /** Said instead of "ready" until the next run, e.g. that the kernel restarted. */
  private notice: string | undefined;
  private connecting: Promise<KernelHandle> | undefined;
  private handle: KernelHandle | undefined;
  private readonly setups = new Map<Element, { run: SetupRunner; code: () => string }>();
  /** Executions sent and not answered yet. */
  private running = 0;
  /** Fail the runs waiting for a reply (see `run`). */
  private readonly cuts = new Set<(error: Error) => void>();
  /** How many times runs were stopped, and why the last time. */
  private stops = 0;
  private stopMessage = RUN_CUT_SHORT;
  private reviving = false;

  constructor(
    readonly key: string,
    readonly settings: SessionSettings,
  ) {
    super();
  }

  /**
   * The connected kernel, after setup cells ran. The first call launches the session; a
   * call after it ended launches a new one, and one after the connection was lost tries
   * to reconnect first.
   */
  connect(): Promise<KernelHandle> {
    if (this.lifecycle.kind === 'ended') this.forget();
    const handle = this.handle;
    if (handle && this.socketStatus !== 'connected' && !this.reviving) {
      const pending = this.connecting;
      this.connecting = this.revive(handle, pending).catch((error: unknown) => {
        // The session may still be there: the next run tries again.
        this.connecting = pending;
        throw error;
      });
    } else if (handle && this.kernelStatus === 'dead') {
      this.connecting = this.afterRestart(handle, handle.restart());
    }
    this.connecting ??= this.start().catch((error: unknown) => {
      this.connecting = undefined;
      this.setLifecycle({ kind: 'failed', message: errorMessage(error) });
      throw error;
    });
    return this.connecting;
  }

  /**
   * Sends code to `handle`'s kernel; `runsAhead` counts it until the reply. Rejects when the
   * session ends or its connection is given up before the reply, so no run waits forever,
   * with an Error whose message says for people what stopped the run.
   */
  async run(
    handle: KernelHandle,
    code: string,
    callbacks: ExecuteCallbacks,
  ): Promise<ExecuteReply> {
    this.running += 1;
    const stopsBefore = this.stops;
    let cut: (error: Error) => void = () => undefined;
    const lost = new Promise<never>((_, reject) => (cut = reject));
    this.cuts.add(cut);
    try {
      return await Promise.race([handle.execute(code, callbacks), lost]);
    } catch {
      // The kernel client drops a restarted kernel's runs as it hears of the restart, maybe
      // before this session does: what stopped the run is known a moment later.
      await new Promise((resolve) => setTimeout(resolve));
      throw new Error(this.stops > stopsBefore ? this.stopMessage : RUN_CUT_SHORT);
    } finally {
      this.running -= 1;
      this.cuts.delete(cut);
    }
  }

  /** The connected kernel (its spec and info, for a notebook's metadata); undefined before. */
  get kernel(): KernelHandle['kernel'] | undefined {
    return this.handle?.kernel;
  }

  /** How many executions are waiting for the kernel or running on it. */
  get runsAhead(): number {
    return this.running;
  }

  /** A reader ran a cell: one-off notices (the kernel restarted) have been read. */
  acknowledge(): void {
    if (this.notice === undefined) return;
    this.notice = undefined;
    this.refresh();
  }

  /**
   * Setup cells run, in page order, whenever a new kernel starts, before any other cell; a
   * reused kernel (an earlier page load's) gets those whose `code` has not run in it yet.
   */
  addSetup(cell: Element, run: SetupRunner, code: () => string): void {
    this.setups.set(cell, { run, code });
  }

  removeSetup(cell: Element): void {
    this.setups.delete(cell);
  }

  /** Restarts the kernel (then its setup cells), or launches a new session when the old one is gone. */
  async restart(): Promise<void> {
    if (this.handle && this.lifecycle.kind === 'connected' && this.socketStatus === 'connected') {
      this.kernelStatus = 'restarting';
      this.refresh();
      await this.afterRestart(this.handle, this.handle.restart());
      return;
    }
    this.forget();
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
    this.log.length = 0;
    this.setLifecycle({
      kind: 'launching',
      message: PHASE_MESSAGES.waiting ?? '',
      startedAt: Date.now(),
      progress: undefined,
      previousMs: loadLaunchDuration(this.key),
    });
    // The launch clients load with the first launch: pages that are only read never need them.
    const [{ connectAny, endSession }, { BuildProgress }] = await Promise.all([
      import('../servers/federation.js'),
      import('./launch-progress.js'),
    ]);
    if (this.lifecycle.kind === 'launching') this.lifecycle.progress = new BuildProgress();
    const saved = loadSavedSession(this.key, this.settings.reuse);
    let connection: Connection;
    if (saved && (await sessionAlive(saved.connection))) {
      this.launchMessage('Reconnecting to your session…');
      connection = saved.connection;
    } else {
      connection = await connectAny(this.settings, (progress) => this.onProgress(progress));
    }
    this.connection = connection;
    this.launchMessage('Starting the kernel…');
    const runtime = await import('./runtime.js');
    const handle = await runtime
      .connectKernel(connection, {
        ...(saved?.connection === connection && saved.kernelId ? { kernelId: saved.kernelId } : {}),
        path: this.settings.path,
        onChange: (change) => this.onKernelChange(change),
        widgets: {
          moduleUrl: this.settings.widgetsUrl,
          allowJavascript: this.settings.allowJavascript,
        },
        onDisplay: (message) => this.dispatchEvent(new DisplayEvent(message, runtime.sanitizeHtml)),
      })
      .catch(async (error: unknown) => {
        // A session whose kernel cannot start is of no use to anyone: end it now.
        if (error instanceof LaunchError) await endSession(this.settings, connection);
        throw error;
      });
    this.handle = handle;
    this.kernelStatus = handle.kernel.status;
    this.socketStatus = 'connected';
    const ran = handle.reused && saved?.connection === connection ? (saved.setup ?? []) : [];
    this.rememberLaunchDuration();
    await this.runSetup(handle, ran);
    this.setLifecycle({ kind: 'connected' });
    return handle;
  }

  /**
   * For a run while the kernel's connection is down: launches anew when the session has
   * ended, refuses at once while its server cannot be reached, and otherwise reconnects a
   * connection that was given up (a run while services is still reconnecting to a server
   * that answers waits in its queue, see `run`). `pending` is what runs were waiting for
   * before (a restart and its setup cells).
   */
  private async revive(
    handle: KernelHandle,
    pending: Promise<KernelHandle> | undefined,
  ): Promise<KernelHandle> {
    this.reviving = true;
    try {
      const presence = await handle.sessionState();
      if (presence === 'gone') {
        this.forget();
        return await this.start();
      }
      if (presence === 'unreachable') throw new LaunchError(0, UNREACHABLE_MESSAGE);
      if (this.socketStatus === 'disconnected') {
        await handle.reconnect().catch(() => {
          throw new LaunchError(0, UNREACHABLE_MESSAGE);
        });
      }
      // A restart's setup cells, if that is why the kernel reconnects, still go first.
      return (await pending) ?? handle;
    } finally {
      this.reviving = false;
    }
  }

  /** Drops the kernel of a session that is gone, so the next use launches a new one. */
  private forget(): void {
    this.handle?.dispose();
    this.handle = undefined;
    this.connection = undefined;
    this.connecting = undefined;
    this.notice = undefined;
  }

  /** Runs the setup cells once a restart is done; cells that run meanwhile wait for them. */
  private afterRestart(handle: KernelHandle, restarted: Promise<void>): Promise<KernelHandle> {
    const ready = restarted.then(() => this.runSetup(handle, [])).then(() => handle);
    this.connecting = ready.catch(() => handle);
    return ready;
  }

  /**
   * Runs the setup cells whose code is not among `ran` (digests of those that already ran in
   * this kernel), in page order, and saves the session with every digest that has run.
   */
  private async runSetup(handle: KernelHandle, ran: readonly string[]): Promise<void> {
    const done = new Set(ran);
    const save = () =>
      this.connection &&
      saveSession(this.key, {
        connection: this.connection,
        kernelId: handle.kernel.id,
        savedAt: Date.now(),
        setup: [...done],
      });
    save();
    const cells = [...this.setups.keys()].sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );
    for (const cell of cells) {
      const setup = this.setups.get(cell);
      if (!setup) continue;
      const digest = codeDigest(setup.code());
      if (done.has(digest)) continue;
      await setup.run(handle);
      done.add(digest);
      save();
    }
  }

  private onProgress(progress: Progress): void {
    if (this.lifecycle.kind !== 'launching') return;
    if (progress.log !== undefined) {
      this.log.push(progress.log);
      if (this.log.length > MAX_LOG_LINES) this.log.splice(0, this.log.length - MAX_LOG_LINES);
      this.lifecycle.progress?.add(progress.log);
      this.dispatchEvent(new Event('log'));
    }
    this.launchMessage(progress.note ?? PHASE_MESSAGES[progress.phase] ?? progress.phase);
  }

  private launchMessage(message: string): void {
    if (this.lifecycle.kind !== 'launching') return;
    this.lifecycle.message = message;
    this.refresh();
  }

  private onKernelChange(change: KernelChange): void {
    if (change.kind === 'gone') {
      forgetSavedSession(this.key);
      this.stopRuns('The session ended before this cell finished; Run starts a new one.');
      this.setLifecycle({ kind: 'ended' });
      return;
    }
    if (change.kind === 'connection') {
      this.socketStatus = change.status;
      if (change.status === 'disconnected') {
        this.stopRuns('The connection to the session was lost before this cell finished.');
      }
    } else {
      if (change.status === 'restarting' || change.status === 'autorestarting') {
        this.notice = 'The kernel restarted: earlier results are gone.';
      }
      const stopped = STOPPED_BY[change.status];
      if (stopped) this.stopRuns(stopped);
      if (change.status === 'autorestarting' && this.handle) {
        // The new kernel is empty: its setup cells go first. They start a microtask later,
        // once the kernel client has dropped the old kernel's state, and their requests
        // wait in its queue until the kernel is back.
        void this.afterRestart(this.handle, Promise.resolve()).catch(() => undefined);
      }
      this.kernelStatus = change.status;
    }
    this.refresh();
  }

  /** Ends the runs waiting for a reply, saying why (see `run`). */
  private stopRuns(message: string): void {
    this.stops += 1;
    this.stopMessage = message;
    this.cuts.forEach((cut) => cut(new Error(message)));
    this.cuts.clear();
  }

  private setLifecycle(lifecycle: Lifecycle): void {
    this.lifecycle = lifecycle;
    this.refresh();
  }

  /** Works out the status from the session's parts; tells listeners when it changed. */
  private refresh(): void {
    const next = this.describe();
    if (sameStatus(next, this.status)) return;
    this.status = next;
    this.dispatchEvent(new Event('status'));
  }

  private describe(): SessionStatus {
    const lifecycle = this.lifecycle;
    switch (lifecycle.kind) {
      case 'new':
        return { state: 'new', message: '', busy: false };
      case 'launching': {
        const previous = lifecycle.previousMs;
        const progress = lifecycle.progress?.summary;
        return {
          state: 'launching',
          message: lifecycle.message,
          ...(progress ? { progress } : {}),
          launchStartedAt: lifecycle.startedAt,
          ...(previous !== undefined ? { previousLaunchMs: previous } : {}),
          busy: false,
        };
      }
      case 'failed':
        return { state: 'failed', message: lifecycle.message, busy: false };
      case 'ended':
        return { state: 'ended', message: ENDED_MESSAGE, busy: false };
      case 'connected':
        return this.describeKernel();
    }
  }

  private describeKernel(): SessionStatus {
    if (this.socketStatus === 'disconnected') {
      return { state: 'disconnected', message: 'Lost the connection to the session.', busy: false };
    }
    if (this.socketStatus === 'connecting') {
      return { state: 'ready', message: 'Reconnecting to the kernel…', busy: false };
    }
    switch (this.kernelStatus) {
      case 'dead':
        return { state: 'dead', message: 'The kernel died.', busy: false };
      case 'restarting':
        return { state: 'ready', message: 'Restarting the kernel…', busy: false };
      case 'autorestarting':
        return { state: 'ready', message: 'The kernel died and is restarting…', busy: false };
      default:
        return {
          state: 'ready',
          message: this.notice ?? READY_MESSAGE,
          busy: this.kernelStatus === 'busy',
        };
    }
  }

  private rememberLaunchDuration(): void {
    if (this.lifecycle.kind !== 'launching') return;
    const took = Date.now() - this.lifecycle.startedAt;
    if (took >= BUILD_WORTH_REMEMBERING_MS) saveLaunchDuration(this.key, took);
  }
}

function sameStatus(a: SessionStatus, b: SessionStatus): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof SessionStatus)[]);
  return [...keys].every((key) => a[key] === b[key]);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
