/**
 * The server half of bench/load.ts, in a process of its own so its RSS and CPU are the
 * server's alone: a real binder-cell server (local backend) that tells its parent, over
 * IPC, where it listens and where each session's kernel server is (for the direct baseline).
 */
import { startTestServer } from '../server/src/test-support/server.js';

/** What the parent asks for: the internal kernel servers, for round trips past the proxy. */
export interface KernelServersMessage {
  kind: 'kernel-servers';
  servers: Record<string, { url: string; token: string }>;
}

const maxSessions = Number(process.env.BENCH_MAX_SESSIONS ?? '64');
const server = await startTestServer({
  sessions: { maxSessions, idleTimeoutSeconds: 3600 },
  launch: { maxPendingPerClient: maxSessions },
});
process.on('message', (message: { kind: string }) => {
  if (message.kind === 'kernel-servers') {
    const servers = Object.fromEntries(
      server.registry
        .list()
        .map((session) => [session.id, { url: session.server.url, token: session.server.token }]),
    );
    process.send?.({ kind: 'kernel-servers', servers } satisfies KernelServersMessage);
  } else if (message.kind === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'listening', url: server.url.href });
