import type { SessionSettings } from '../settings.js';
import { sessionKey } from '../settings.js';
import { KernelSession } from './kernel-session.js';

const sessions = new Map<string, KernelSession>();

/** Dispatches `session` each time the page gets a new session (for page-level controls). */
export const sessionsEvents = new EventTarget();

/** The page's session for these settings, created on first request. */
export function sessionFor(settings: SessionSettings): KernelSession {
  const key = sessionKey(settings);
  let session = sessions.get(key);
  if (!session) {
    session = new KernelSession(key, settings);
    sessions.set(key, session);
    sessionsEvents.dispatchEvent(new Event('session'));
  }
  return session;
}

/** Every session of the page, optionally only those of one group (`session` attribute). */
export function pageSessions(name?: string): KernelSession[] {
  return [...sessions.values()].filter(
    (session) => name === undefined || session.settings.name === name,
  );
}
