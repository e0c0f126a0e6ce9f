import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerMetrics } from './metrics.js';

/** The proxy server's events this module listens to (a subset of http-proxy-3's). */
interface ProxyEvents {
  on(
    event: 'proxyRes',
    listener: (proxyRes: IncomingMessage, req: IncomingMessage) => void,
  ): unknown;
  on(
    event: 'proxyReqWs',
    listener: (proxyReq: ClientRequest, req: IncomingMessage, socket: Duplex) => void,
  ): unknown;
}

type Count = (bytes: number) => void;

/**
 * Counts a proxy's traffic in `metrics`: HTTP requests in flight and WebSockets open (and
 * their totals), and the bytes each way. Call `http` / `webSocket` just before handing a
 * request to the proxy, in the same tick: the proxy starts reading the streams in that
 * tick too (http-proxy-3 runs its passes synchronously), so every chunk is counted.
 */
export class ProxyTraffic {
  private readonly fromKernel = new WeakMap<object, Count>();

  constructor(
    private readonly metrics: ServerMetrics,
    proxy: ProxyEvents,
  ) {
    proxy.on('proxyRes', (proxyRes, req) => {
      const count = this.fromKernel.get(req);
      if (count) proxyRes.on('data', (chunk: Buffer) => count(chunk.length));
    });
    proxy.on('proxyReqWs', (proxyReq, _req, socket) => {
      const count = this.fromKernel.get(socket);
      if (!count) return;
      proxyReq.once('upgrade', (_res: IncomingMessage, kernelSocket: Duplex) => {
        kernelSocket.on('data', (chunk: Buffer) => count(chunk.length));
      });
    });
  }

  http(req: IncomingMessage, res: ServerResponse): void {
    const traffic = this.metrics.proxyOpened('http');
    req.on('data', (chunk: Buffer) => traffic.bytes.to_kernel(chunk.length));
    res.once('close', traffic.closed);
    this.fromKernel.set(req, traffic.bytes.from_kernel);
  }

  webSocket(socket: Duplex): void {
    const traffic = this.metrics.proxyOpened('websocket');
    socket.on('data', (chunk: Buffer) => traffic.bytes.to_kernel(chunk.length));
    socket.once('close', traffic.closed);
    this.fromKernel.set(socket, traffic.bytes.from_kernel);
  }
}
