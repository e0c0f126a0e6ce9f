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
  /** False once the session's server says the session is gone; true while unreachable. */
  sessionExists(): Promise<boolean>;
  /** Makes kernel HTML safe to show: no scripts, no event handlers. */
  sanitize: (html: string) => string;
  dispose(): void;
}

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
  if (!existing) await requireKernelSpec(connection.kernel, serverSettings);
  // jupyter_server's POST /api/kernels takes a `path` beside the `name` services types.
  const model: Kernel.IKernelOptions & { path?: string } = {
    name: connection.kernel,
    ...(options.path ? { path: options.path } : {}),
  };
  const kernel = existing ? manager.connectTo({ model: existing }) : await manager.startNew(model);
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
  // services retries a dropped socket with growing waits (up to a minute apart), then gives
  // up; a session that has ended will not come back. Asking its server directly, every few
  // seconds while services retries, tells that within seconds of the server answering.
  let watch: ReturnType<typeof setInterval> | undefined;
  const checkSession = () =>
    void sessionExists(connection).then((exists) => {
      if (exists || kernel.isDisposed) return;
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
    async execute(code, { onIOPub, onInput }) {
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
    sessionExists: () => sessionExists(connection),
    sanitize: sanitizeHtml,
    dispose() {
      clearInterval(watch);
      kernel.dispose();
      manager.dispose();
    },
  };
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
async function sessionExists(connection: Connection): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/status', connection.url), {
      headers: { authorization: `token ${connection.token}` },
    });
    return response.ok;
  } catch {
    return true; // the server is unreachable for now; services keeps trying to reconnect
  }
}

export { KernelMessage };
