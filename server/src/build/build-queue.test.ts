import { describe, expect, it } from 'vitest';
import { BuildQueue } from './build-queue.js';
import type { Environment } from './environment.js';
import { BuildError } from './types.js';
import type { BuildInput, Builder, BuiltImage } from './types.js';

const environment: Environment = { configDir: '', requirements: 'numpy\n', unsupported: [] };

/** A builder whose builds finish when the test says so. */
class ControlledBuilder implements Builder {
  readonly backend = 'test';
  readonly built = new Set<string>();
  builds = 0;
  private finish: ((fail?: boolean) => void) | undefined;

  key() {
    return Promise.resolve('k');
  }

  find(key: string): Promise<BuiltImage | undefined> {
    return Promise.resolve(this.built.has(key) ? { id: key, name: key } : undefined);
  }

  build(key: string, { log }: BuildInput): Promise<BuiltImage> {
    this.builds += 1;
    log('step 1');
    return new Promise((resolve, reject) => {
      this.finish = (fail) => {
        if (fail) {
          reject(new BuildError('pip install failed', ['ERROR: no such package']));
          return;
        }
        log('step 2');
        this.built.add(key);
        resolve({ id: key, name: key });
      };
    });
  }

  complete(fail = false) {
    this.finish?.(fail);
  }
}

const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BuildQueue', () => {
  it('starts one build for concurrent launches and gives each the whole log', async () => {
    const builder = new ControlledBuilder();
    const queue = new BuildQueue(builder, { concurrency: 2, timeoutMs: 60_000 });
    const early: string[] = [];
    const late: string[] = [];
    const first = queue.build(environment, '/repo', (line) => early.push(line), never);
    await tick();
    const second = queue.build(environment, '/repo', (line) => late.push(line), never);
    await tick();
    builder.complete();
    const outcomes = await Promise.all([first, second]);
    expect(builder.builds).toBe(1);
    expect(outcomes.map((outcome) => outcome.cached)).toEqual([false, false]);
    expect(early).toEqual(['step 1', 'step 2']);
    expect(late).toEqual(['step 1', 'step 2']);
    expect(await queue.build(environment, '/repo', () => undefined, never)).toMatchObject({
      cached: true,
    });
  });

  it('does not cache a failed build', async () => {
    const builder = new ControlledBuilder();
    const queue = new BuildQueue(builder, { concurrency: 1, timeoutMs: 60_000 });
    const failing = queue.build(environment, '/repo', () => undefined, never);
    await tick();
    builder.complete(true);
    await expect(failing).rejects.toThrow(BuildError);
    const retry = queue.build(environment, '/repo', () => undefined, never);
    await tick();
    builder.complete();
    await expect(retry).resolves.toMatchObject({ cached: false });
    expect(builder.builds).toBe(2);
  });

  it('lets a waiter leave without stopping the build for others', async () => {
    const builder = new ControlledBuilder();
    const queue = new BuildQueue(builder, { concurrency: 1, timeoutMs: 60_000 });
    const leaving = new AbortController();
    const left = queue.build(environment, '/repo', () => undefined, leaving.signal);
    const staying = queue.build(environment, '/repo', () => undefined, never);
    await tick();
    leaving.abort(new Error('client went away'));
    await expect(left).rejects.toThrow('client went away');
    builder.complete();
    await expect(staying).resolves.toMatchObject({ image: { id: 'k' } });
  });
});
