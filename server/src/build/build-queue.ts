import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import { abortable } from '../util/abortable.js';
import type { Environment } from './environment.js';
import type { Builder, BuiltImage } from './types.js';

export interface BuildQueueOptions {
  concurrency: number;
  timeoutMs: number;
}

export interface BuildOutcome {
  image: BuiltImage;
  /** True when the environment already existed and nothing was built. */
  cached: boolean;
}

interface BuildJob {
  lines: string[];
  listeners: Set<(line: string) => void>;
  result: Promise<BuiltImage>;
}

/** Lines of a build log kept for launches that join a build late. */
const REPLAY_LINES = 2000;

/**
 * Runs builds with a concurrency limit and a timeout. Launches that need the same
 * environment share one build: each gets the log so far, then the rest as it comes.
 */
export class BuildQueue {
  private readonly jobs = new Map<string, BuildJob>();
  private readonly limit: LimitFunction;

  constructor(
    private readonly builder: Builder,
    private readonly options: BuildQueueOptions,
  ) {
    this.limit = pLimit(options.concurrency);
  }

  async build(
    environment: Environment,
    repoDir: string,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<BuildOutcome> {
    const key = await this.builder.key(environment);
    if (!this.jobs.has(key)) {
      const found = await this.builder.find(key);
      if (found) return { image: found, cached: true };
    }
    const job = this.jobs.get(key) ?? this.start(key, environment, repoDir);
    job.lines.forEach((line) => log(line));
    job.listeners.add(log);
    try {
      return { image: await abortable(job.result, signal), cached: false };
    } finally {
      job.listeners.delete(log);
    }
  }

  get running(): number {
    return this.jobs.size;
  }

  private start(key: string, environment: Environment, repoDir: string): BuildJob {
    const lines: string[] = [];
    const listeners = new Set<(line: string) => void>();
    const emit = (line: string) => {
      lines.push(line);
      if (lines.length > REPLAY_LINES) lines.shift();
      listeners.forEach((listener) => listener(line));
    };
    if (this.limit.activeCount >= this.options.concurrency) {
      emit(
        `Waiting for a build slot (${this.limit.activeCount + this.limit.pendingCount} builds ahead)`,
      );
    }
    const result = this.limit(() =>
      this.builder.build(key, {
        environment,
        repoDir,
        log: emit,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      }),
    ).finally(() => this.jobs.delete(key));
    // Every waiter may have gone by the time a build fails; those that remain see the failure.
    result.catch(() => undefined);
    const job = { lines, listeners, result };
    this.jobs.set(key, job);
    return job;
  }
}
