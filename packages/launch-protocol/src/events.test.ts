import { describe, expect, it } from 'vitest';
import { ProtocolError, assertLaunchRequest, isTerminal, parseLaunchEvent } from './index.js';

const ready = {
  phase: 'ready',
  sessionId: 's',
  url: 'http://localhost:8080/sessions/s/',
  wsUrl: 'ws://localhost:8080/sessions/s/',
  token: 't',
  kernel: 'python3',
  expiresAt: '2030-01-01T00:00:00.000Z',
  image: 'venv:abc',
  repo: 'local/quickstart',
  ref: 'local',
  repoUrl: 'local/quickstart',
  refUrl: 'local/quickstart',
};

describe('parseLaunchEvent', () => {
  it('accepts progress, ready and failed events', () => {
    expect(parseLaunchEvent('{"phase":"building","log":"Collecting numpy"}')).toEqual({
      phase: 'building',
      log: 'Collecting numpy',
    });
    expect(parseLaunchEvent(JSON.stringify(ready))).toEqual(ready);
    const pooled = { ...ready, kernelId: 'k-1' };
    expect(parseLaunchEvent(JSON.stringify(pooled))).toEqual(pooled);
    const failed = parseLaunchEvent('{"phase":"failed","status":422,"message":"pip failed"}');
    expect(isTerminal(failed)).toBe(true);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"phase":"cooking"}', 'unknown phase'],
    ['{"phase":"failed","status":418,"message":"x"}', 'unknown status'],
    ['{"phase":"failed","status":404}', 'message'],
    [JSON.stringify({ ...ready, token: undefined }), 'token'],
    [JSON.stringify({ ...ready, url: 3 }), 'url'],
    [JSON.stringify({ ...ready, kernelId: 3 }), 'kernelId'],
    ['{"phase":"building","log":7}', 'log'],
  ])('refuses %s', (data, problem) => {
    expect(() => parseLaunchEvent(data)).toThrow(ProtocolError);
    expect(() => parseLaunchEvent(data)).toThrow(problem);
  });
});

describe('assertLaunchRequest', () => {
  it('accepts repo with optional ref, kernel and token, or an image', () => {
    expect(() => assertLaunchRequest({ repo: 'local/x' })).not.toThrow();
    expect(() => assertLaunchRequest({ repo: 'gh/o/r/main', repoToken: 't' })).not.toThrow();
    expect(() =>
      assertLaunchRequest({ image: 'binder-cell/python:1', kernel: 'ir' }),
    ).not.toThrow();
    expect(() =>
      assertLaunchRequest({ repo: 'git/u/main', ref: 'main', kernel: 'python3' }),
    ).not.toThrow();
  });

  it.each([
    [null, 'JSON object'],
    [{}, 'repo'],
    [{ repo: '' }, 'repo'],
    [{ repo: 'local/x', ref: 3 }, 'ref'],
    [{ repo: 'local/x', image: 'ubuntu' }, 'not both'],
    [{ image: 'ubuntu', ref: 'main' }, 'unknown fields: ref'],
    [{ image: '' }, 'image'],
    [{ repo: 'local/x', repoToken: 5 }, 'repoToken'],
  ])('refuses %j', (value, problem) => {
    expect(() => assertLaunchRequest(value)).toThrow(problem);
  });
});
