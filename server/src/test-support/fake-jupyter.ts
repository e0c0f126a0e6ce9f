import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

/** What a fake kernel server was asked, as it arrived (after the launch API's proxy). */
export interface FakeRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface FakeJupyter {
  /** Base URL with a trailing slash. */
  readonly url: string;
  /** The internal token it accepts. */
  readonly token: string;
  readonly requests: FakeRequest[];
  /** What `api/status` reports as `last_activity` (epoch ms). */
  lastActivity: number;
  /** Kernels started with `POST api/kernels`, listed by `GET api/kernels`. */
  readonly kernels: { id: string; name: string }[];
  /** While true, WebSocket upgrades are held unanswered (a kernel server slow to answer). */
  holdUpgrades: boolean;
  /** The sockets of the upgrades held so far. */
  readonly heldUpgrades: Duplex[];
  /** Settles when it has closed. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in for a session's kernel-only jupyter_server, for in-process tests of the
 * pipeline and the routes: it checks its internal token, answers `api/status` and
 * `api/kernelspecs` (with `kernels`), starts and lists kernels (`POST`/`GET api/kernels`, no
 * query), echoes any other request as JSON, and echoes
 * WebSocket messages back on the first subprotocol offered, answering JSON shell requests
 * with an ok reply too, as a kernel would.
 */
export async function startFakeJupyter(
  token: string,
  kernels: readonly string[] = ['python3'],
): Promise<FakeJupyter> {
  const requests: FakeRequest[] = [];
  const authorized = (req: IncomingMessage) => req.headers.authorization === `token ${token}`;
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!authorized(req)) return reply(403, { message: 'Forbidden' });
    if (req.url === '/api/status') {
      return reply(200, { last_activity: new Date(fake.lastActivity).toISOString() });
    }
    if (req.url === '/api/kernelspecs') {
      return reply(200, {
        default: kernels[0],
        kernelspecs: Object.fromEntries(kernels.map((name) => [name, { name }])),
      });
    }
    if (req.url === '/api/kernels' && req.method === 'POST') {
      const kernel = { id: `kernel-${fake.kernels.length}`, name: kernels[0] ?? 'python3' };
      fake.kernels.push(kernel);
      return reply(201, kernel);
    }
    if (req.url === '/api/kernels' && req.method === 'GET') return reply(200, fake.kernels);
    return reply(200, { method: req.method, url: req.url });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    if (fake.holdUpgrades) {
      fake.heldUpgrades.push(socket);
      return;
    }
    if (!authorized(req)) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) =>
      ws.on('message', (data, isBinary) => {
        ws.send(data, { binary: isBinary });
        const reply =
          isBinary || !Buffer.isBuffer(data) ? undefined : shellReply(data.toString('utf8'));
        if (reply) ws.send(reply);
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let markClosed = () => undefined as void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const fake: FakeJupyter = {
    url: `http://127.0.0.1:${port}/`,
    token,
    requests,
    lastActivity: Date.now(),
    kernels: [],
    holdUpgrades: false,
    heldUpgrades: [],
    closed,
    close: () => {
      sockets.clients.forEach((client) => client.terminate());
      fake.heldUpgrades.forEach((socket) => socket.destroy());
      server.closeAllConnections();
      server.close(() => markClosed());
      return closed;
    },
  };
  return fake;
}

/** A kernel's shell reply (`<type>_reply`, status ok) to a JSON shell request, if `text` is one. */
function shellReply(text: string): string | undefined {
  let message: { channel?: string; header?: { msg_type?: string } };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return undefined;
  }
  const type = message.header?.msg_type;
  if (message.channel !== 'shell' || !type?.endsWith('_request')) return undefined;
  return JSON.stringify({
    channel: 'shell',
    header: { msg_type: type.replace(/_request$/, '_reply') },
    parent_header: message.header,
    metadata: {},
    content: { status: 'ok' },
  });
}
