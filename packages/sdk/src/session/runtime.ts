/**
 * Everything a session needs once a reader presses Run: the kernel client
 * (@jupyterlab/services) and the HTML sanitiser. Loaded on demand, so pages that
 * are only read never download it.
 */
import { KernelManager, KernelMessage, ServerConnection } from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import type { ReadyEvent } from '@binder-cell/launch-protocol';
import DOMPurify from 'dompurify';

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

export interface KernelHandle {
  execute(code: string, onMessage: (message: IOPubMessage) => void): Promise<ExecuteReply>;
  restart(): Promise<void>;
  interrupt(): Promise<void>;
  /** Makes kernel HTML safe to show: no scripts, no event handlers. */
  sanitize: (html: string) => string;
  dispose(): void;
}

export async function connectKernel(
  ready: ReadyEvent,
  onChange: (change: KernelChange) => void,
): Promise<KernelHandle> {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: ready.url,
    wsUrl: ready.wsUrl,
    token: ready.token,
    appendToken: true,
  });
  const manager = new KernelManager({ serverSettings });
  const kernel = await manager.startNew({ name: ready.kernel });
  kernel.statusChanged.connect((_, status) => onChange({ kind: 'status', status }));
  kernel.connectionStatusChanged.connect((_, status) => {
    onChange({ kind: 'connection', status });
    // services retries a dropped socket for minutes; a session that has ended will not come back.
    if (status === 'connecting') {
      void sessionExists(ready).then((exists) => {
        if (!exists && !kernel.isDisposed) {
          kernel.dispose();
          manager.dispose();
          onChange({ kind: 'gone' });
        }
      });
    }
  });
  return {
    async execute(code, onMessage) {
      const future = kernel.requestExecute({ code, stop_on_error: true });
      future.onIOPub = onMessage;
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
    sanitize: (html) => DOMPurify.sanitize(html),
    dispose() {
      kernel.dispose();
      manager.dispose();
    },
  };
}

/** Asks the session's kernel server through the proxy whether it is still there. */
async function sessionExists(ready: ReadyEvent): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/status', ready.url), {
      headers: { authorization: `token ${ready.token}` },
    });
    return response.ok;
  } catch {
    return true; // the server is unreachable for now; services keeps trying to reconnect
  }
}

export { KernelMessage };
