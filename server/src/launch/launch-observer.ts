import type { LaunchEvent, LaunchPhase } from '@binder-cell/launch-protocol';
import type { Logger } from 'pino';
import type { BuildOutcome, LaunchOutcome, ServerMetrics } from '../metrics/metrics.js';

/** The stage of the pipeline each launch phase belongs to: the `stage` field of log lines. */
const STAGES: Record<LaunchPhase, string> = {
  waiting: 'resolve',
  resolving: 'resolve',
  fetching: 'resolve',
  building: 'build',
  launching: 'spawn',
  ready: 'ready',
  failed: 'failed',
};

export interface LaunchObserverOptions {
  logger: Logger;
  metrics: ServerMetrics | undefined;
  /** Spec prefix (`gh`, `git`, `image`...): the `provider` label of its metrics. */
  provider: string;
  launchId: string;
}

/**
 * Follows one launch: every log line about it carries its `launchId` (and, from `ready`,
 * its `sessionId`), each stage logs under its own `stage`, and its outcome and durations
 * go into the metrics.
 */
export class LaunchObserver {
  /** The launch's logger: lines carry `launchId`. */
  readonly log: Logger;
  private readonly stages = new Map<string, Logger>();
  private readonly started = performance.now();
  private ended = false;

  constructor(private readonly options: LaunchObserverOptions) {
    this.log = options.logger.child({ launchId: options.launchId });
  }

  /** The logger of one stage (`resolve`, `build`, `spawn`, `ready`, `failed`). */
  stage(name: string): Logger {
    let logger = this.stages.get(name);
    if (!logger) {
      logger = this.log.child({ stage: name });
      this.stages.set(name, logger);
    }
    return logger;
  }

  /** Logs an event the launch emits: messages at info, build and fetch output at debug. */
  event(event: LaunchEvent): void {
    const log = this.stage(STAGES[event.phase]);
    if (event.phase === 'ready') {
      log.info({ sessionId: event.sessionId, image: event.image, repo: event.repo }, event.message);
    } else if (event.phase === 'failed') {
      log[event.status < 500 ? 'info' : 'warn']({ status: event.status }, event.message);
    } else if (event.message !== undefined) {
      log.info({ phase: event.phase }, event.message);
    } else if (event.log !== undefined) {
      log.debug({ phase: event.phase, output: event.log });
    }
  }

  /** Starts timing the build step; call the result with how it ended. */
  buildStarted(): (outcome: BuildOutcome) => void {
    const started = performance.now();
    return (outcome) =>
      this.options.metrics?.buildEnded(
        outcome,
        this.options.provider,
        (performance.now() - started) / 1000,
      );
  }

  /** Records how the launch ended, once. */
  end(outcome: LaunchOutcome): void {
    if (this.ended) return;
    this.ended = true;
    const seconds = (performance.now() - this.started) / 1000;
    this.options.metrics?.launchEnded(outcome, this.options.provider, seconds);
    this.log.info({ outcome, seconds }, 'launch ended');
  }
}
