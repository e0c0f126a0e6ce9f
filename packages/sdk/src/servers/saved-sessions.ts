import type { Connection } from './types.js';

/** A session saved by an earlier page load, so later pages can reuse it. */
export interface SavedSession {
  connection: Connection;
  kernelId?: string;
  savedAt: number;
  /**
   * Setup cells that ran in this kernel, as `codeDigest`s of their code: a page reusing the
   * kernel (a reload, or another page of the same repository) runs only the ones missing.
   */
  setup?: string[];
}

/** A short digest of a cell's code (32-bit FNV-1a, hex), to tell which setup cells ran. */
export function codeDigest(code: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < code.length; index += 1) {
    hash ^= code.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const PREFIX = 'binder-cell:session:';

/** localStorage, or nothing where the page may not use it (privacy modes, sandboxes). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function loadSavedSession(
  key: string,
  maxAgeSeconds: number,
  now = Date.now(),
): SavedSession | undefined {
  if (maxAgeSeconds <= 0) return undefined;
  const text = storage()?.getItem(PREFIX + key);
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as SavedSession;
    if (now - saved.savedAt <= maxAgeSeconds * 1000) return saved;
  } catch {
    // unreadable: forget it below
  }
  forgetSavedSession(key);
  return undefined;
}

export function saveSession(key: string, session: SavedSession): void {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(session));
  } catch {
    // storage full or denied: sessions are then simply not reused
  }
}

export function forgetSavedSession(key: string): void {
  storage()?.removeItem(PREFIX + key);
}

const DURATION_PREFIX = 'binder-cell:launch-ms:';

/** How long (ms) the last launch with a build took for a session key, if this browser knows. */
export function loadLaunchDuration(key: string): number | undefined {
  const value = Number(storage()?.getItem(DURATION_PREFIX + key) ?? NaN);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function saveLaunchDuration(key: string, ms: number): void {
  try {
    storage()?.setItem(DURATION_PREFIX + key, String(Math.round(ms)));
  } catch {
    // storage full or denied: the next launch just has no estimate
  }
}

/** Whether a saved session's kernel server still answers with its token. */
export async function sessionAlive(connection: Connection): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/status', connection.url), {
      headers: { authorization: `token ${connection.token}` },
      signal: AbortSignal.timeout(5000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
