import { describe, expect, it } from 'vitest';
import { captureLogs } from '../test-support/log-capture.js';
import { scrubSecrets } from './secrets.js';

describe('scrubSecrets', () => {
  it('removes credentials from URLs, token query parameters and Authorization values', () => {
    expect(scrubSecrets('cloning https://user:hunter2@git.example/r.git failed')).toBe(
      'cloning https://[redacted]@git.example/r.git failed',
    );
    expect(scrubSecrets('http://127.0.0.1:8888/lab?token=abc123&x=1')).toBe(
      'http://127.0.0.1:8888/lab?token=[redacted]&x=1',
    );
    expect(scrubSecrets('Authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ=')).toBe(
      'Authorization: Basic [redacted]',
    );
    expect(scrubSecrets('authorization: token 0123456789abcdef0123')).toBe(
      'authorization: token [redacted]',
    );
  });

  it('leaves ordinary text alone', () => {
    const text =
      'Fetching https://github.com/org/repo at 0123abc: basic environment, token expired';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('the server logger', () => {
  it('redacts fields that hold secrets and secrets inside messages and errors', () => {
    const logs = captureLogs();
    logs.logger.info(
      {
        token: 'session-secret',
        request: { repoToken: 'repo-secret', headers: { authorization: 'token header-secret' } },
      },
      'at https://me:url-secret@example.org/',
    );
    logs.logger.error({ err: new Error('fatal: https://me:error-secret@example.org') }, 'failed');
    const text = logs.lines.join('');
    for (const secret of ['session-secret', 'repo-secret', 'header-secret', 'url-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('error-secret');
    expect(logs.records()[0]).toMatchObject({ token: '[redacted]' });
  });
});
