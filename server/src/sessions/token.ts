import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-session token (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions keep only a hash of their token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(hash: string, candidate: string | undefined): boolean {
  if (!candidate) return false;
  return timingSafeEqual(Buffer.from(hashToken(candidate), 'hex'), Buffer.from(hash, 'hex'));
}
