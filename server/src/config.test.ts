import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('fills defaults', () => {
    const config = parseConfig({}, '/srv');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      backend: 'local',
      repos: { local: {}, allowFileUrls: false },
      sessions: { defaultKernel: 'python3', idleTimeoutSeconds: 600 },
      packages: { pipRetries: 0 },
    });
  });

  it('resolves relative paths against the config file folder', () => {
    const config = parseConfig(
      { dataDir: 'data', examplesDir: 'pages', repos: { local: { book: 'repos/book' } } },
      '/srv/site',
    );
    expect(config.dataDir).toBe('/srv/site/data');
    expect(config.examplesDir).toBe('/srv/site/pages');
    expect(config.repos.local).toEqual({ book: '/srv/site/repos/book' });
  });

  it('explains what is wrong', () => {
    expect(() => parseConfig({ port: 'eighty', repos: { local: { '../x': '/tmp' } } })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig({ port: -1 })).toThrow(/port/);
    expect(() => parseConfig({ backend: 'nomad' })).toThrow(/backend/);
  });

  it('takes each backend section with its defaults, and an optional instance id', () => {
    const config = parseConfig({ backend: 'docker', instanceId: 'binder-1' });
    expect(config.instanceId).toBe('binder-1');
    expect(config.docker).toMatchObject({
      baseImage: 'binder-cell-base:bookworm',
      network: 'bridge',
    });
    expect(config.local).toEqual({
      python: 'python3',
      pythonFallback: false,
      unsupportedFiles: 'note',
      keepSessions: true,
    });
    expect(parseConfig({}).instanceId).toBeUndefined();
    expect(() => parseConfig({ instanceId: 'has spaces' })).toThrow(/instanceId/);
    expect(() => parseConfig({ docker: { limits: { memory: 'lots' } } })).toThrow(/memory/);
  });

  it('refuses a key it does not know, at any depth, rather than ignoring a misspelt one', () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ prot: 8080 }, /Unrecognized key: "prot"/],
      [{ sessions: { idleTimeout: 60 } }, /Unrecognized key: "idleTimeout"\n\s*→ at sessions/],
      [
        { kubernetes: { sesions: { cpu: '2' } } },
        /Unrecognized key: "sesions"\n\s*→ at kubernetes/,
      ],
      [
        { pools: [{ repo: 'local/quickstart', sise: 2 }] },
        /Unrecognized key: "sise"\n\s*→ at pools\[0\]/,
      ],
    ];
    for (const [input, message] of refusals) {
      expect(() => parseConfig(input), JSON.stringify(input)).toThrow(message);
    }
  });
});
