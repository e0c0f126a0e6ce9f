import { randomUUID } from 'node:crypto';
import { isImageLaunch } from '@binder-cell/launch-protocol';
import type {
  FailedEvent,
  LaunchEvent,
  LaunchRequest,
  ReadyEvent,
} from '@binder-cell/launch-protocol';
import type { Logger } from 'pino';
import { kernelspecNames } from '../backends/shared/kernel-server-client.js';
import type { Backend, BuiltImage, KernelServer, SessionDescription } from '../backends/types.js';
import { readRepoFiles } from '../environment/repo-files.js';
import { HttpError, badRequest, unprocessable } from '../errors.js';
import type { RepoProviders, RepoRef } from '../repo/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { hashToken, newToken } from '../sessions/token.js';
import type { BuildQueue } from './build-queue.js';
import type { ClientLimiter } from './client-limiter.js';
import { failureEvent } from './failure.js';
import type { LaunchShutdown } from './shutdown.js';

const KERNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LauncherDeps {
  providers: RepoProviders;
  backend: Backend;
  builds: BuildQueue;
  registry: SessionRegistry;
  clients: ClientLimiter;
  defaultKernel: string;
  logger: Logger;
  /** Refuses launches once the server shuts down, and stops those under way. */
  shutdown: LaunchShutdown;
}

export interface LaunchContext {
  /** Base URL clients reach this server at; session URLs are made from it. */
  publicUrl: URL;
  /** Aborted when nobody waits for the launch any more. */
  signal: AbortSignal;
  emit: (event: LaunchEvent) => void;
}

/** A validated launch holding its client slot and session reservation until it ends. */
export interface Launch {
  /** Runs the pipeline, emitting events; always ends with one `ready` or `failed` event. */
  run(context: LaunchContext): Promise<void>;
}

/** Where a session comes from: a built repository or an allowed image. */
interface SessionSource {
  repo: string;
  ref: string;
  repoUrl: string;
  refUrl: string;
  image: BuiltImage;
  repoDir: string | undefined;
}

/** resolve -> fetch -> build -> spawn -> register: the launch pipeline, backend-agnostic. */
export class Launcher {
  constructor(private readonly deps: LauncherDeps) {}

  /** Validates a request and takes its slots; throws HttpError (400/403/404/429/503). */
  begin(request: LaunchRequest, client: string): Launch {
    this.deps.shutdown.refuseIfStopping();
    const kernel = request.kernel ?? this.deps.defaultKernel;
    if (!KERNEL_NAME.test(kernel))
      throw badRequest(`invalid kernel name ${JSON.stringify(kernel)}`);
    const prepare: (context: LaunchContext) => Promise<SessionSource> = isImageLaunch(request)
      ? (context) => this.fromImage(request.image, context)
      : this.fromRepo(
          this.deps.providers.parse(request.repo, {
            ...(request.ref !== undefined ? { ref: request.ref } : {}),
            ...(request.repoToken !== undefined ? { repoToken: request.repoToken } : {}),
          }),
        );
    const releaseClient = this.deps.clients.acquire(client);
    let releaseSlot: () => void;
    try {
      releaseSlot = this.deps.registry.reserve();
    } catch (error) {
      releaseClient();
      throw error;
    }
    const run = async (given: LaunchContext) => {
      const signal = AbortSignal.any([given.signal, this.deps.shutdown.signal]);
      const context = { ...given, signal };
      try {
        const source = await prepare(context);
        context.emit(await this.startSession(source, kernel, context));
      } catch (error) {
        context.emit(this.failure(error, signal));
      } finally {
        releaseSlot();
        releaseClient();
      }
    };
    return { run: (context) => this.deps.shutdown.track(run(context)) };
  }

  private fromRepo(repo: RepoRef): (context: LaunchContext) => Promise<SessionSource> {
    return async ({ signal, emit }) => {
      emit({ phase: 'waiting', message: `Launching ${repo.spec}` });
      emit({ phase: 'resolving', message: `Resolving ${repo.spec}` });
      const resolved = await repo.resolve(signal);
      emit({ phase: 'fetching', message: `Fetching ${repo.repoUrl} at ${resolved.ref}` });
      const repoDir = await resolved.fetch(signal, (line) =>
        emit({ phase: 'fetching', log: line }),
      );
      emit({ phase: 'building', message: 'Preparing the environment' });
      const log = (line: string) => emit({ phase: 'building', log: line });
      const plan = await this.deps.backend.plan({
        files: await readRepoFiles(repoDir),
        repo: resolved.persistentSpec,
        ref: resolved.ref,
      });
      plan.report.forEach(log);
      const { image, cached } = await this.deps.builds.build(plan, log, signal);
      const reused = Object.entries(cached)
        .filter(([, found]) => found)
        .map(([kind]) => kind);
      emit({
        phase: 'launching',
        message: `${reused.length > 0 ? `Reused the ${reused.join(' and ')} image` : 'Built'} ${image.name}; starting a kernel server`,
        image: image.name,
      });
      return {
        repo: resolved.persistentSpec,
        ref: resolved.ref,
        repoUrl: repo.repoUrl,
        refUrl: resolved.refUrl,
        image,
        repoDir,
      };
    };
  }

  private async fromImage(name: string, { emit }: LaunchContext): Promise<SessionSource> {
    emit({ phase: 'waiting', message: `Launching the image ${name}` });
    const image = await this.deps.backend.findImage(name);
    emit({ phase: 'launching', message: `Starting a kernel server from ${name}`, image: name });
    return {
      repo: `image/${name}`,
      ref: image.id,
      repoUrl: name,
      refUrl: name,
      image,
      repoDir: undefined,
    };
  }

  private async startSession(
    source: SessionSource,
    kernel: string,
    { publicUrl, signal }: LaunchContext,
  ): Promise<ReadyEvent> {
    const token = newToken();
    const now = Date.now();
    const session: SessionDescription = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      kernel,
      repo: source.repo,
      ref: source.ref,
      repoUrl: source.repoUrl,
      refUrl: source.refUrl,
      createdAt: now,
    };
    const server = await this.deps.backend.spawn({
      session,
      image: source.image,
      repoDir: source.repoDir,
      expiresAt: now + this.deps.registry.limits.maxAgeMs,
      signal,
    });
    try {
      await requireKernel(server, kernel, signal);
      signal.throwIfAborted();
    } catch (error) {
      await server.stop();
      throw error;
    }
    const registered = { ...session, image: source.image, lastActivity: now, server };
    this.deps.registry.add(registered);
    const url = new URL(`sessions/${session.id}/`, publicUrl);
    this.deps.logger.info(
      { sessionId: session.id, repo: session.repo, image: source.image.name },
      'session started',
    );
    return {
      phase: 'ready',
      message: `Session ${session.id} is ready`,
      sessionId: session.id,
      url: url.href,
      wsUrl: url.href.replace(/^http/, 'ws'),
      token,
      kernel,
      expiresAt: this.deps.registry.expiresAt(registered).toISOString(),
      image: source.image.name,
      repo: session.repo,
      ref: session.ref,
      repoUrl: session.repoUrl,
      refUrl: session.refUrl,
    };
  }

  private failure(error: unknown, signal: AbortSignal): FailedEvent {
    if (signal.aborted && signal.reason instanceof HttpError) {
      this.deps.logger.info({ reason: signal.reason.message }, 'launch stopped');
      return failureEvent(signal.reason);
    }
    if (signal.aborted && !(error instanceof HttpError)) {
      this.deps.logger.info('launch abandoned by its client');
      return { phase: 'failed', status: 500, message: 'The launch was abandoned.' };
    }
    const event = failureEvent(error);
    if (event.status === 500) this.deps.logger.error({ err: error }, 'launch failed');
    return event;
  }
}

async function requireKernel(
  server: KernelServer,
  kernel: string,
  signal: AbortSignal,
): Promise<void> {
  const names = await kernelspecNames(server, signal);
  if (!names.includes(kernel)) {
    throw unprocessable(
      `kernel "${kernel}" is not available in this environment (available: ${names.join(', ')})`,
    );
  }
}
