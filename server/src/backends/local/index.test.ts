import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createLocalBackend } from './index.js';

describe('the local backend', () => {
  const backend = createLocalBackend({
    config: parseConfig({ local: { python: 'python3' } }),
    logger: createLogger('silent'),
    instanceId: 'bc-test',
  });

  it('keeps sessions beyond the server unless told not to, and launches no images', async () => {
    expect(backend.persistent).toBe(true);
    const ending = createLocalBackend({
      config: parseConfig({ local: { keepSessions: false } }),
      logger: createLogger('silent'),
      instanceId: 'bc-test',
    });
    expect(ending.persistent).toBe(false);
    await expect(backend.findImage('org/notebook:1')).rejects.toMatchObject({ status: 400 });
  });

  it("is healthy when the server's Python runs, and says so when it does not", async () => {
    expect(await backend.health()).toEqual({ ok: true });
    const broken = createLocalBackend({
      config: parseConfig({ local: { python: 'binder-cell-no-such-python' } }),
      logger: createLogger('silent'),
      instanceId: 'bc-test',
    });
    expect(await broken.health()).toEqual({
      ok: false,
      problem: "the server's Python (binder-cell-no-such-python) cannot be run",
    });
  });
});
