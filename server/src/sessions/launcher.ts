import { randomUUID } from 'node:crypto';
import type {
  FailedEvent,
  LaunchEvent,
  LaunchRequest,
  ReadyEvent,
} from '@binder-cell/launch-protocol';
import type { Logger } from 'pino';
import type { BuildQueue } from '../build/build-queue.js';
import { detectEnvironment } from '../build/environment.js';
import { BuildError } from '../build/types.js';
import { HttpError, badRequest, unprocessable } from '../errors.js';
import type { RepoProviders, RepoRef } from '../repo/index.js';
import { SpawnError } from '../spawn/types.js';
import type { KernelServer, Spawner } from '../spawn/types.js';
import type { ClientLimiter } from './client-limiter.js';
import type { SessionRegistry } from './registry.js';
import { hashToken, newToken } from './token.js';

const KERNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LauncherDeps {
  providers: RepoProviders;
  builds: BuildQueue;
  spawner: Spawner;
  registry: SessionRegistry;
  clients: ClientLimiter;
  defaultKernel: string;
  logger: Logger;
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
  readonly repo: RepoRef;
  readonly kernel: string;
  /** Runs the pipeline, emitting events; always ends with one `ready` or `failed` event. */
  run(context: LaunchContext): Promise<void>;
}

/** resolve -> fetch -> build -> spawn -> register: the launch pipeline, backend-agnostic. */
export class Launcher {
  constructor(private readonly deps: LauncherDeps) {}

  /** Validates a request and takes its slots; throws HttpError (400/403/404/429/503). */
  begin(request: LaunchRequest, client: string): Launch {
    const repo = this.deps.providers.parse(request.repo, request.ref);
    const kernel = request.kernel ?? this.deps.defaultKernel;
    if (!KERNEL_NAME.test(kernel))
      throw badRequest(`invalid kernel name ${JSON.stringify(kernel)}`);
    const releaseClient = this.deps.clients.acquire(client);
    let releaseSlot: () => void;
    try {
      releaseSlot = this.deps.registry.reserve();
    } catch (error) {
      releaseClient();
      throw error;
    }
    return {
      repo,
      kernel,
      run: async (context) => {
        try {
          context.emit(await this.pipeline(repo, kernel, context));
        } catch (error) {
          context.emit(this.failure(error, context.signal));
        } finally {
          releaseSlot();
          releaseClient();
        }
      },
    };
  }

  private async pipeline(
    repo: RepoRef,
    kernel: string,
    context: LaunchContext,
  ): Promise<ReadyEvent> {
    const { signal, emit } = context;
    emit({ phase: 'waiting', message: `Launching ${repo.spec}` });
    emit({ phase: 'resolving', message: `Resolving ${repo.spec}` });
    const resolved = await repo.resolve(signal);
    emit({ phase: 'fetching', message: `Fetching ${repo.repoUrl} at ${resolved.ref}` });
    const repoDir = await resolved.fetch(signal, (line) => emit({ phase: 'fetching', log: line }));
    const environment = await detectEnvironment(repoDir);
    emit({ phase: 'building', message: 'Preparing the environment' });
    const { image, cached } = await this.deps.builds.build(
      environment,
      repoDir,
      (line) => emit({ phase: 'building', log: line }),
      signal,
    );
    emit({
      phase: 'launching',
      message: `${cached ? 'Found' : 'Built'} environment ${image.name}; starting a kernel server`,
      image: image.name,
    });
    const sessionId = randomUUID();
    const server = await this.deps.spawner.spawn({ sessionId, image, repoDir, signal });
    try {
      await requireKernel(server, kernel);
      signal.throwIfAborted();
    } catch (error) {
      await server.stop();
      throw error;
    }
    const token = newToken();
    const now = Date.now();
    const session = {
      id: sessionId,
      tokenHash: hashToken(token),
      kernel,
      repo: resolved.persistentSpec,
      ref: resolved.ref,
      repoUrl: repo.repoUrl,
      image,
      createdAt: now,
      lastActivity: now,
      server,
    };
    this.deps.registry.add(session);
    const url = new URL(`sessions/${sessionId}/`, context.publicUrl);
    this.deps.logger.info({ sessionId, repo: session.repo, image: image.name }, 'session started');
    return {
      phase: 'ready',
      message: `Session ${sessionId} is ready`,
      sessionId,
      url: url.href,
      wsUrl: url.href.replace(/^http/, 'ws'),
      token,
      kernel,
      expiresAt: this.deps.registry.expiresAt(session).toISOString(),
      image: image.name,
      repo: session.repo,
      ref: session.ref,
      repoUrl: session.repoUrl,
    };
  }

  private failure(error: unknown, signal: AbortSignal): FailedEvent {
    if (signal.aborted && !(error instanceof HttpError)) {
      this.deps.logger.info('launch abandoned by its client');
      return { phase: 'failed', status: 500, message: 'The launch was abandoned.' };
    }
    const event = failureEvent(error);
    if (event.status === 500) this.deps.logger.error({ err: error }, 'launch failed');
    return event;
  }
}

async function requireKernel(server: KernelServer, kernel: string): Promise<void> {
  const response = await fetch(new URL('api/kernelspecs', server.url), {
    headers: { authorization: `token ${server.token}` },
  });
  if (!response.ok)
    throw new SpawnError(`the kernel server answered ${response.status} for kernelspecs`);
  const { kernelspecs } = (await response.json()) as { kernelspecs: Record<string, unknown> };
  if (!Object.hasOwn(kernelspecs, kernel)) {
    throw unprocessable(
      `kernel "${kernel}" is not available in this environment (available: ${Object.keys(kernelspecs).join(', ')})`,
    );
  }
}

/** Turns any pipeline error into the `failed` event a person can act on. */
export function failureEvent(error: unknown): FailedEvent {
  if (error instanceof HttpError) {
    return { phase: 'failed', status: error.status, message: error.message };
  }
  if (error instanceof BuildError) {
    return {
      phase: 'failed',
      status: 422,
      message: withTail(`The environment could not be built: ${error.message}.`, error.tail),
    };
  }
  if (error instanceof SpawnError) {
    return {
      phase: 'failed',
      status: 500,
      message: withTail(`The session could not be started: ${error.message}.`, error.tail),
    };
  }
  return {
    phase: 'failed',
    status: 500,
    message: 'The launch failed because of an error in the server; it has been logged.',
  };
}

function withTail(message: string, tail: string[]): string {
  return tail.length === 0 ? message : `${message}\nLast lines of output:\n${tail.join('\n')}`;
}
