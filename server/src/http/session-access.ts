import type { IncomingMessage } from 'node:http';
import type { Session, SessionRegistry } from '../sessions/registry.js';
import { tokenMatches } from '../sessions/token.js';

/** The per-session token of a request: `Authorization: token <t>` (or `Bearer <t>`) or `?token=<t>`. */
export function requestToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:token|bearer)\s+(\S+)$/i.exec(header) : null;
  if (match) return match[1];
  const query = new URL(req.url ?? '/', 'http://internal').searchParams.get('token');
  return query ?? undefined;
}

export type SessionAccess =
  { ok: true; session: Session } | { ok: false; status: 401 | 403 | 404 | 410; message: string };

/** Looks a session up and checks the request's token against it. */
export function checkSessionAccess(
  registry: SessionRegistry,
  sessionId: string,
  req: IncomingMessage,
): SessionAccess {
  const session = registry.get(sessionId);
  if (!session) {
    const reason = registry.ended.reasonFor(sessionId);
    return reason === undefined
      ? { ok: false, status: 404, message: 'no such session: it may have ended' }
      : { ok: false, status: 410, message: `this session has ended (${reason}); launch a new one` };
  }
  const token = requestToken(req);
  if (token === undefined) {
    return {
      ok: false,
      status: 401,
      message: 'this session needs its token (Authorization: token ...)',
    };
  }
  if (!tokenMatches(session.tokenHash, token)) {
    return { ok: false, status: 403, message: 'wrong token for this session' };
  }
  return { ok: true, session };
}
