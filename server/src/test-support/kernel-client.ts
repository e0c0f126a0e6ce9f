import type { ReadyEvent } from '@binder-cell/launch-protocol';
import { KernelAPI, KernelManager, KernelMessage, ServerConnection } from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import WebSocket from 'ws';

export interface KernelHandle {
  kernel: Kernel.IKernelConnection;
  dispose: () => void;
}

/**
 * Starts a kernel through the session proxy with @jupyterlab/services over a real WebSocket,
 * in `path` (its working directory, relative to the session's root) when given.
 */
export async function startKernel(
  ready: Pick<ReadyEvent, 'url' | 'wsUrl' | 'token' | 'kernel'>,
  path?: string,
) {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: ready.url,
    wsUrl: ready.wsUrl,
    token: ready.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const manager = new KernelManager({ serverSettings });
  await manager.ready;
  // jupyter_server's POST /api/kernels takes a `path` beside the `name` services types.
  const model: Kernel.IKernelOptions & { path?: string } = {
    name: ready.kernel,
    ...(path === undefined ? {} : { path }),
  };
  const kernel = await manager.startNew(model);
  return {
    kernel,
    dispose: () => {
      kernel.dispose();
      manager.dispose();
    },
  } satisfies KernelHandle;
}

/** Connects (through the session proxy) to a kernel already running in the session. */
export async function connectToKernel(
  ready: Pick<ReadyEvent, 'url' | 'wsUrl' | 'token'>,
  kernelId: string,
): Promise<KernelHandle> {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: ready.url,
    wsUrl: ready.wsUrl,
    token: ready.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const model = await KernelAPI.getKernelModel(kernelId, serverSettings);
  if (!model) throw new Error(`the session has no kernel ${kernelId}`);
  const manager = new KernelManager({ serverSettings });
  const kernel = manager.connectTo({ model });
  return {
    kernel,
    dispose: () => {
      kernel.dispose();
      manager.dispose();
    },
  };
}

export interface Execution {
  stdout: string;
  stderr: string;
  results: KernelMessage.IIOPubMessage[];
  reply: KernelMessage.IExecuteReplyMsg;
}

export async function execute(kernel: Kernel.IKernelConnection, code: string): Promise<Execution> {
  const execution: Omit<Execution, 'reply'> = { stdout: '', stderr: '', results: [] };
  const future = kernel.requestExecute({ code });
  future.onIOPub = (message) => {
    if (KernelMessage.isStreamMsg(message)) {
      execution[message.content.name] += message.content.text;
    } else if (
      KernelMessage.isExecuteResultMsg(message) ||
      KernelMessage.isDisplayDataMsg(message) ||
      KernelMessage.isErrorMsg(message)
    ) {
      execution.results.push(message);
    }
  };
  const reply = await future.done;
  return { ...execution, reply };
}
