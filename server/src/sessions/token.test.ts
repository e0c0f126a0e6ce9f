import { describe, expect, it } from 'vitest';
import { hashToken, newToken, tokenMatches } from './token.js';

describe('session tokens', () => {
  it('are long, random and URL-safe', () => {
    const tokens = new Set(Array.from({ length: 100 }, newToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{43}$/);
  });

  it('match only their own hash', () => {
    const token = newToken();
    expect(tokenMatches(hashToken(token), token)).toBe(true);
    expect(tokenMatches(hashToken(token), `${token}x`)).toBe(false);
    expect(tokenMatches(hashToken(token), '')).toBe(false);
    expect(tokenMatches(hashToken(token), undefined)).toBe(false);
  });
});
