import { describe, expect, it } from 'vitest';
import { BuildQueue, buildSummary } from './build-queue.js';
import type { BuildOutcome } from './build-queue.js';
import { BackendError, buildFailed } from '../backends/shared/backend-error.js';
import { HttpError } from '../errors.js';
import type { BuildPlan, BuildStage, BuiltImage, StageInput } from '../backends/types.js';

/** A stage whose builds finish when the test says so. */
class ControlledStage implements BuildStage {
  readonly built = new Set<string>();
  builds = 0;
  inputs: StageInput[] = [];
  private finish: ((fail?: boolean) => void) | undefined;

  readonly noun: string;

  constructor(
    readonly key: string,
    readonly kind: string,
  ) {
    this.noun = `${kind} image`;
  }

  find(): Promise<BuiltImage | undefined> {
    return Promise.resolve(this.built.has(this.key) ? { id: this.key, name: this.key } : undefined);
  }

  build(input: StageInput): Promise<BuiltImage> {
    this.builds += 1;
    this.inputs.push(input);
    input.log(`${this.kind} step 1`);
    return new Promise((resolve, reject) => {
      this.finish = (fail) => {
        if (fail) {
          reject(buildFailed('pip install failed', ['ERROR: no such package']));
          return;
        }
        input.log(`${this.kind} step 2`);
        this.built.add(this.key);
        resolve({ id: this.key, name: this.key });
      };
    });
  }

  complete(fail = false) {
    this.finish?.(fail);
  }
}

const plan = (...stages: BuildStage[]): BuildPlan => ({ stages, report: [] });
/** Per stage kind, whether its image already existed. */
const reused = (outcome: BuildOutcome) =>
  Object.fromEntries(outcome.stages.map((stage) => [stage.kind, stage.reused]));
const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BuildQueue', () => {
  it('starts one build for concurrent launches and gives each the whole log', async () => {
    const stage = new ControlledStage('env-a', 'environment');
    const queue = new BuildQueue({ concurrency: 2, timeoutMs: 60_000 });
    const early: string[] = [];
    const late: string[] = [];
    const first = queue.build(plan(stage), (line) => early.push(line), never);
    await tick();
    const second = queue.build(plan(stage), (line) => late.push(line), never);
    await tick();
    stage.complete();
    const outcomes = await Promise.all([first, second]);
    expect(stage.builds).toBe(1);
    expect(outcomes.map(reused)).toEqual([{ environment: false }, { environment: false }]);
    expect(early).toEqual(['environment step 1', 'environment step 2']);
    expect(late).toEqual(['environment step 1', 'environment step 2']);
    expect(reused(await queue.build(plan(stage), () => undefined, never))).toEqual({
      environment: true,
    });
  });

  it('builds stages in order, reusing those that exist', async () => {
    const environment = new ControlledStage('env-b', 'environment');
    environment.built.add('env-b');
    const content = new ControlledStage('content-b', 'content');
    const queue = new BuildQueue({ concurrency: 1, timeoutMs: 60_000 });
    const building = queue.build(plan(environment, content), () => undefined, never);
    await tick();
    await tick();
    content.complete();
    const outcome = await building;
    expect(outcome.image).toEqual({ id: 'content-b', name: 'content-b' });
    expect(reused(outcome)).toEqual({ environment: true, content: false });
    expect(buildSummary(outcome.stages)).toBe(
      'Reused the environment image env-b; built the content image content-b',
    );
    expect(environment.builds).toBe(0);
    expect(content.builds).toBe(1);
  });

  it('does not keep a failed build', async () => {
    const stage = new ControlledStage('env-c', 'environment');
    const queue = new BuildQueue({ concurrency: 1, timeoutMs: 60_000 });
    const failing = queue.build(plan(stage), () => undefined, never);
    await tick();
    stage.complete(true);
    await expect(failing).rejects.toThrow(BackendError);
    const retry = queue.build(plan(stage), () => undefined, never);
    await tick();
    stage.complete();
    expect(reused(await retry)).toEqual({ environment: false });
    expect(stage.builds).toBe(2);
  });

  it('lets a waiter leave without stopping the build for others', async () => {
    const stage = new ControlledStage('env-d', 'environment');
    const queue = new BuildQueue({ concurrency: 1, timeoutMs: 60_000 });
    const leaving = new AbortController();
    const left = queue.build(plan(stage), () => undefined, leaving.signal);
    const staying = queue.build(plan(stage), () => undefined, never);
    await tick();
    leaving.abort(new Error('client went away'));
    await expect(left).rejects.toThrow('client went away');
    stage.complete();
    await expect(staying).resolves.toMatchObject({ image: { id: 'env-d' } });
  });

  it('gives each build the timeout', async () => {
    const stage = new ControlledStage('env-e', 'environment');
    const queue = new BuildQueue({ concurrency: 1, timeoutMs: 50 });
    const building = queue.build(plan(stage), () => undefined, never);
    await tick();
    const { signal } = stage.inputs[0] ?? {};
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(signal?.aborted).toBe(true);
    stage.complete(true);
    await expect(building).rejects.toThrow(BackendError);
  });

  it('fails a build past maxQueued waiting ones with 503 naming the limit; joining one is free', async () => {
    const queue = new BuildQueue({ concurrency: 1, timeoutMs: 60_000, maxQueued: 1 });
    const [running, waiting, refused] = ['a', 'b', 'c'].map(
      (key) => new ControlledStage(key, 'environment'),
    ) as [ControlledStage, ControlledStage, ControlledStage];
    const first = queue.build(plan(running), () => undefined, never);
    await tick();
    const second = queue.build(plan(waiting), () => undefined, never);
    const joined = queue.build(plan(waiting), () => undefined, never);
    await tick();
    const error = await queue.build(plan(refused), () => undefined, never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).message).toContain('admission.maxQueuedBuilds is 1');
    expect(refused.builds).toBe(0);
    running.complete();
    await first;
    await tick();
    waiting.complete();
    await expect(second).resolves.toMatchObject({ image: { id: 'b' } });
    await expect(joined).resolves.toMatchObject({ image: { id: 'b' } });
  });
});

describe('buildSummary', () => {
  const stage = (kind: string, noun: string, name: string, reused: boolean) => ({
    kind,
    noun,
    image: { id: name, name },
    reused,
  });

  it('names each stage by what it makes, with its own image', () => {
    expect(
      buildSummary([
        stage('environment', 'environment image', 'env:1', true),
        stage('content', 'content image', 'session:2', true),
      ]),
    ).toBe('Reused the environment image env:1; reused the content image session:2');
  });

  it("names a local backend's venv as a Python environment", () => {
    expect(buildSummary([stage('environment', 'Python environment', 'venv:7d22', false)])).toBe(
      'Built the Python environment venv:7d22',
    );
  });
});
