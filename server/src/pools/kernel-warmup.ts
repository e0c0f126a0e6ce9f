import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { KernelServerAddress } from '../backends/shared/kernel-server-client.js';

/** One message of Jupyter's kernel WebSocket (its JSON form, with no subprotocol). */
interface ChannelMessage {
  channel: string;
  header: { msg_type: string };
  parent_header: { msg_id?: string };
}

/**
 * Takes the one-time costs of a new kernel out of a reader's first run: opens the kernel's
 * WebSocket once (jupyter_server's first connection to a kernel is its slowest), asks
 * `kernel_info`, and runs `pass` silently (IPython's first execution is several times
 * slower than the next). A silent run keeps no history and leaves the execution count
 * alone (Jupyter messaging: `execute_request.silent`), so the kernel looks unused to the
 * reader. Rejects when the kernel does not answer before `signal` aborts.
 */
export async function warmUpKernel(
  server: KernelServerAddress,
  kernelId: string,
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(`api/kernels/${kernelId}/channels`, server.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, { headers: { authorization: `token ${server.token}` } });
  const session = randomUUID();
  const abort = () => socket.terminate();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('the kernel closed its WebSocket')));
    });
    for (const [type, content] of [
      ['kernel_info_request', {}],
      ['execute_request', { code: 'pass', silent: true, store_history: false, allow_stdin: false }],
    ] as const) {
      const id = randomUUID();
      const replied = reply(socket, id, type.replace('_request', '_reply'));
      socket.send(
        JSON.stringify({
          channel: 'shell',
          header: {
            msg_id: id,
            msg_type: type,
            session,
            username: '',
            version: '5.3',
            date: new Date().toISOString(),
          },
          parent_header: {},
          metadata: {},
          content,
          buffers: [],
        }),
      );
      await replied;
    }
  } finally {
    signal.removeEventListener('abort', abort);
    socket.close();
  }
  signal.throwIfAborted();
}

/** Resolves on the shell reply of type `type` to message `id`; rejects when the socket closes. */
function reply(socket: WebSocket, id: string, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary || !Buffer.isBuffer(data)) return;
      const message = JSON.parse(data.toString('utf8')) as ChannelMessage;
      if (message.channel === 'shell' && message.parent_header.msg_id === id) {
        done();
        if (message.header.msg_type === type) resolve();
        else reject(new Error(`the kernel answered ${message.header.msg_type}`));
      }
    };
    const onClose = () => {
      done();
      reject(new Error('the kernel closed its WebSocket'));
    };
    const done = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}
