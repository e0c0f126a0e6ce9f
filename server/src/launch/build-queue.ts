import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import { HttpError } from '../errors.js';
import { abortable, anyWithTimeout } from '../util/abortable.js';
import type { BuildPlan, BuildStage, BuiltImage } from '../backends/types.js';

export interface BuildQueueOptions {
  concurrency: number;
  timeoutMs: number;
  /** Builds that may wait for a slot; one more fails with 503. Unbounded when absent. */
  maxQueued?: number;
}

/** One stage of a finished build: its image, and whether that image already existed. */
export interface StageOutcome {
  kind: string;
  noun: string;
  image: BuiltImage;
  reused: boolean;
}

export interface BuildOutcome {
  /** The last stage's image: the one sessions run. */
  image: BuiltImage;
  /** Every stage, in the plan's order. */
  stages: StageOutcome[];
}

/**
 * What a build did, stage by stage, for the launch's message: `Reused the environment
 * image env:1; built the content image content:2`.
 */
export function buildSummary(stages: readonly StageOutcome[]): string {
  const text = stages
    .map(({ noun, image, reused }) => `${reused ? 'reused' : 'built'} the ${noun} ${image.name}`)
    .join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface BuildJob {
  lines: string[];
  listeners: Set<(line: string) => void>;
  result: Promise<BuiltImage>;
}

/** Lines of a build log kept for launches that join a build late. */
const REPLAY_LINES = 2000;

/**
 * Runs build stages with a concurrency limit and a timeout each. Launches that need
 * the same stage share one build: each gets the log so far, then the rest as it comes.
 * A stage whose image exists is not built; a failed build leaves nothing behind.
 */
export class BuildQueue {
  private readonly jobs = new Map<string, BuildJob>();
  private readonly limit: LimitFunction;
  private readonly closing = new AbortController();

  constructor(private readonly options: BuildQueueOptions) {
    this.limit = pLimit(options.concurrency);
  }

  async build(
    plan: BuildPlan,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<BuildOutcome> {
    const stages: StageOutcome[] = [];
    for (const stage of plan.stages) {
      const found = this.jobs.has(stage.key) ? undefined : await stage.find();
      const image = found ?? (await this.join(stage, log, signal));
      stages.push({ kind: stage.kind, noun: stage.noun, image, reused: found !== undefined });
    }
    const last = stages.at(-1);
    if (!last) throw new Error('a build plan needs at least one stage');
    return { image: last.image, stages };
  }

  private async join(
    stage: BuildStage,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<BuiltImage> {
    const job = this.jobs.get(stage.key) ?? this.start(stage);
    job.lines.forEach((line) => log(line));
    job.listeners.add(log);
    try {
      return await abortable(job.result, signal);
    } finally {
      job.listeners.delete(log);
    }
  }

  /**
   * Stops every build (running or waiting for a slot) with `reason`; the backends remove
   * what they had half built, and no image or environment of theirs is ever used.
   */
  close(reason: Error): void {
    this.closing.abort(reason);
  }

  /** Settles once no build runs or waits (after close, once they have cleaned up). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((job) => job.result));
  }

  private start(stage: BuildStage): BuildJob {
    const lines: string[] = [];
    const listeners = new Set<(line: string) => void>();
    const emit = (line: string) => {
      lines.push(line);
      if (lines.length > REPLAY_LINES) lines.shift();
      listeners.forEach((listener) => listener(line));
    };
    const { maxQueued } = this.options;
    if (maxQueued !== undefined && this.limit.pendingCount >= maxQueued) {
      throw new HttpError(
        503,
        `${this.limit.pendingCount} ${this.limit.pendingCount === 1 ? 'build is' : 'builds are'} already waiting for this server's ` +
          `${this.options.concurrency} build slots (build.concurrency; admission.maxQueuedBuilds ` +
          `is ${maxQueued}); try again in a few minutes`,
      );
    }
    if (this.limit.activeCount >= this.options.concurrency) {
      emit(
        `Waiting for a build slot (${this.limit.activeCount + this.limit.pendingCount} builds ahead)`,
      );
    }
    const signal = anyWithTimeout([this.closing.signal], this.options.timeoutMs);
    const result = this.limit(() => {
      signal.throwIfAborted();
      return stage.build({ log: emit, signal });
    }).finally(() => this.jobs.delete(stage.key));
    // Every waiter may have gone by the time a build fails; those that remain see the failure.
    result.catch(() => undefined);
    const job = { lines, listeners, result };
    this.jobs.set(stage.key, job);
    return job;
  }
}
