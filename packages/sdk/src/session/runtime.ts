/**
 * Everything a session needs once a reader presses Run: the kernel client
 * (@jupyterlab/services), the HTML sanitiser and the reader of HTML outputs. Loaded on
 * demand, so pages that are only read never download it.
 */
import { KernelAPI, KernelManager, KernelMessage, ServerConnection } from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import DOMPurify from 'dompurify';
import { provideHtmlSupport } from '../cell/html-support.js';
import { readHtml } from '../cell/recognise-html.js';
import { sanitisedHtmlOutput } from '../cell/sanitised-html.js';
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
  /** Makes kernel HTML safe to show: no scripts, no event handlers. */
  sanitize: (html: string) => string;
  dispose(): void;
}

export interface ConnectOptions {
  /** A kernel to reconnect to, if it still runs. */
  kernelId?: string;
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
  const kernel = existing
    ? manager.connectTo({ model: existing })
    : await manager.startNew({ name: connection.kernel });
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
  kernel.connectionStatusChanged.connect((_, status) => {
    onChange({ kind: 'connection', status });
    // services retries a dropped socket for minutes; a session that has ended will not come back.
    if (status === 'connecting') {
      void sessionExists(connection).then((exists) => {
        if (!exists && !kernel.isDisposed) {
          kernel.dispose();
          manager.dispose();
          onChange({ kind: 'gone' });
        }
      });
    }
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
        future.onStdin = async (message) => {
          if (!KernelMessage.isInputRequestMsg(message)) return;
          const value = await onInput({
            prompt: message.content.prompt,
            password: message.content.password,
          });
          future.sendInputReply({ status: 'ok', value }, message.header);
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
    sanitize: sanitizeHtml,
    dispose() {
      kernel.dispose();
      manager.dispose();
    },
  };
}

/** Makes kernel HTML safe to show: no scripts, no event handlers. */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html);
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
