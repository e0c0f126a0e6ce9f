/**
 * Everything a session needs once a reader presses Run: the kernel client
 * (@jupyterlab/services), the HTML sanitiser and the reader of HTML outputs. Loaded on
 * demand, so pages that are only read never download it.
 */
import {
  KernelAPI,
  KernelManager,
  KernelMessage,
  KernelSpecAPI,
  ServerConnection,
} from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import DOMPurify from 'dompurify';
import { provideHtmlSupport } from '../cell/html-support.js';
import { readHtml } from '../cell/recognise-html.js';
import { sanitisedHtmlOutput } from '../cell/sanitised-html.js';
import { LaunchError } from '../servers/types.js';
import type { Connection } from '../servers/types.js';
import { WIDGET_COMM_TARGET } from '../widgets/protocol.js';

provideHtmlSupport({ read: readHtml, render: sanitisedHtmlOutput });

export type KernelChange =
  | { kind: 'status'; status: Kernel.Status }
  | { kind: 'connection'; status: Kernel.ConnectionStatus }
  /** The session no longer exists on the server (culled, deleted, server restarted). */
  | { kind: 'gone' };

export interface ExecuteReply {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
}

export type IOPubMessage = KernelMessage.IIOPubMessage;

/** What the kernel asks for with `input()` or `getpass()`. */
export interface InputRequest {
  prompt: string;
  password: boolean;
}

export interface ExecuteCallbacks {
  onIOPub: (message: IOPubMessage) => void;
  /** Answers the kernel's input requests; without it, the kernel gets no stdin. */
  onInput?: (request: InputRequest) => Promise<string>;
  /**
   * Shows the value of every top-level expression, not only the last, as a console does
   * (for console transcripts). IPython kernels only; other kernels run the code as usual.
   */
  echoEveryResult?: boolean;
}

export interface KernelHandle {
  readonly kernel: Kernel.IKernelConnection;
  /** True when this connected to a kernel an earlier page load started. */
  readonly reused: boolean;
  execute(code: string, callbacks: ExecuteCallbacks): Promise<ExecuteReply>;
  restart(): Promise<void>;
  interrupt(): Promise<void>;
  /** Tries the kernel's WebSocket again; rejects when it cannot be reached. */
  reconnect(): Promise<void>;
  /** Whether the session's server still has the session, or cannot be reached right now. */
  sessionState(): Promise<SessionPresence>;
  /** Makes kernel HTML safe to show: no scripts, no event handlers. */
  sanitize: (html: string) => string;
  dispose(): void;
}

/**
 * Run silently before a transcript's code: IPython then shows every top-level expression's
 * value for that one cell (its `ast_node_interactivity`, reset after the cell runs, errors
 * included, by a one-shot `post_run_cell` handler; silent runs fire no such event).
 */
const ECHO_EVERY_RESULT = `def __binder_cell_echo():
    shell = get_ipython()
    before = shell.ast_node_interactivity
    shell.ast_node_interactivity = "all"
    def reset(result=None):
        shell.ast_node_interactivity = before
        shell.events.unregister("post_run_cell", reset)
    shell.events.register("post_run_cell", reset)
__binder_cell_echo()
del __binder_cell_echo`;

/** How often (ms) a session whose WebSocket is reconnecting is asked whether it still exists. */
const SESSION_CHECK_INTERVAL_MS = 2000;

export interface ConnectOptions {
  /** A kernel to reconnect to, if it still runs. */
  kernelId?: string;
  /** Working directory of a new kernel, relative to the server's root (see `kernelPath`). */
  path?: string;
  onChange: (change: KernelChange) => void;
  widgets: { moduleUrl: string; allowJavascript: boolean };
  /** Every display or display update with a display_id, whichever run sent it. */
  onDisplay?: (message: IOPubMessage) => void;
}

export async function connectKernel(
  connection: Connection,
  options: ConnectOptions,
): Promise<KernelHandle> {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: connection.url,
    wsUrl: connection.wsUrl,
    token: connection.token,
    appendToken: true,
  });
  const manager = new KernelManager({ serverSettings });
  const existing = options.kernelId
    ? await KernelAPI.getKernelModel(options.kernelId, serverSettings).catch(() => undefined)
    : undefined;
  const started = existing ? undefined : await startedKernel(connection, options, serverSettings);
  if (!existing && !started) await requireKernelSpec(connection.kernel, serverSettings);
  // jupyter_server's POST /api/kernels takes a `path` beside the `name` services types.
  const model: Kernel.IKernelOptions & { path?: string } = {
    name: connection.kernel,
    ...(options.path ? { path: options.path } : {}),
  };
  const running = existing ?? started;
  const kernel = running ? manager.connectTo({ model: running }) : await manager.startNew(model);
  // Registered before any code runs: a comm the kernel opens for no target is closed at once.
  kernel.registerCommTarget(WIDGET_COMM_TARGET, async (comm, message) => {
    const widgets = await import('../widgets/widgets.js');
    await widgets.openWidgetComm(kernel, comm, message, {
      ...options.widgets,
      sanitize: sanitizeHtml,
    });
  });
  // Work left running by a page that is gone shows its outputs nowhere, and an input() it
  // asked for would hold the kernel forever.
  if (existing?.execution_state === 'busy') await kernel.interrupt();
  const { onChange, onDisplay } = options;
  if (onDisplay) {
    kernel.iopubMessage.connect((_, message) => {
      const type = message.header.msg_type;
      const transient = (message.content as { transient?: { display_id?: string } }).transient;
      if ((type === 'display_data' || type === 'update_display_data') && transient?.display_id) {
        onDisplay(message);
      }
    });
  }
  kernel.statusChanged.connect((_, status) => onChange({ kind: 'status', status }));
  const ipython = (await kernel.info).implementation === 'ipython';
  // services retries a dropped socket with growing waits (up to a minute apart), then gives
  // up; a session that has ended will not come back. Asking its server directly, every few
  // seconds while services retries, tells that within seconds of the server answering.
  let watch: ReturnType<typeof setInterval> | undefined;
  const checkSession = () =>
    void sessionPresence(connection).then((presence) => {
      if (presence !== 'gone' || kernel.isDisposed) return;
      clearInterval(watch);
      kernel.dispose();
      manager.dispose();
      onChange({ kind: 'gone' });
    });
  kernel.connectionStatusChanged.connect((_, status) => {
    onChange({ kind: 'connection', status });
    clearInterval(watch);
    if (status === 'connected' || kernel.isDisposed) return;
    checkSession();
    if (status === 'connecting') watch = setInterval(checkSession, SESSION_CHECK_INTERVAL_MS);
  });
  return {
    kernel,
    reused: existing !== undefined,
    async execute(code, { onIOPub, onInput, echoEveryResult }) {
      if (echoEveryResult && ipython) {
        kernel.requestExecute({ code: ECHO_EVERY_RESULT, silent: true, store_history: false });
      }
      const future = kernel.requestExecute({
        code,
        stop_on_error: true,
        allow_stdin: onInput !== undefined,
      });
      future.onIOPub = onIOPub;
      if (onInput) {
        // Not awaited: services handles a kernel's messages one after another, so output
        // sent after the input request would wait for the answer.
        future.onStdin = (message) => {
          if (!KernelMessage.isInputRequestMsg(message)) return;
          const { prompt, password } = message.content;
          void onInput({ prompt, password }).then((value) =>
            future.sendInputReply({ status: 'ok', value }, message.header),
          );
        };
      }
      const reply = await future.done;
      return {
        status:
          reply.content.status === 'ok' || reply.content.status === 'error'
            ? reply.content.status
            : 'aborted',
        executionCount: 'execution_count' in reply.content ? reply.content.execution_count : null,
      };
    },
    restart: () => kernel.restart(),
    interrupt: () => kernel.interrupt(),
    reconnect: () => kernel.reconnect(),
    sessionState: () => sessionPresence(connection),
    sanitize: sanitizeHtml,
    dispose() {
      clearInterval(watch);
      kernel.dispose();
      manager.dispose();
    },
  };
}

/**
 * The kernel the launch server started with the session (a warm pool's), when it still
 * runs and its working directory (the session's root) is the one the page asks for. One
 * in the wrong directory is shut down: the page starts its own.
 */
async function startedKernel(
  connection: Connection,
  options: ConnectOptions,
  serverSettings: ServerConnection.ISettings,
): Promise<Kernel.IModel | undefined> {
  const id = connection.kernelId;
  if (id === undefined) return undefined;
  if (options.path) {
    void KernelAPI.shutdownKernel(id, serverSettings).catch(() => undefined);
    return undefined;
  }
  return KernelAPI.getKernelModel(id, serverSettings).catch(() => undefined);
}

/** Makes kernel HTML safe to show: no scripts, no event handlers. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html);
}

/**
 * Checks that the server has the kernel the page asks for, so a wrong name reads as what
 * it is (as the binder-cell launch API says it) instead of a failed kernel start.
 * @throws LaunchError (422) naming the kernels the environment has.
 */
async function requireKernelSpec(
  name: string,
  serverSettings: ServerConnection.ISettings,
): Promise<void> {
  const specs = await KernelSpecAPI.getSpecs(serverSettings);
  if (Object.hasOwn(specs.kernelspecs, name)) return;
  const available = Object.keys(specs.kernelspecs).join(', ');
  throw new LaunchError(
    422,
    `kernel "${name}" is not available in this environment (available: ${available})`,
  );
}

/** Asks the session's kernel server whether it is still there. */
/**
 * `exists`: the session's server has it; `gone`: the server answered, without it (culled,
 * deleted, restarted, its kernel server killed); `unreachable`: no answer, or a server
 * error, for now.
 */
export type SessionPresence = 'exists' | 'gone' | 'unreachable';

async function sessionPresence(connection: Connection): Promise<SessionPresence> {
  try {
    const response = await fetch(new URL('api/status', connection.url), {
      headers: { authorization: `token ${connection.token}` },
      signal: AbortSignal.timeout(PRESENCE_TIMEOUT_MS),
    });
    if (response.ok) return 'exists';
    // A server error may pass (a proxy in front of a restarting server); a refusal does not.
    return response.status >= 500 ? 'unreachable' : 'gone';
  } catch {
    return 'unreachable';
  }
}

/** How long (ms) a check of a session's presence waits for its server. */
const PRESENCE_TIMEOUT_MS = 5000;

export { KernelMessage };
