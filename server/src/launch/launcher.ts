import { randomUUID } from 'node:crypto';
import { isImageLaunch } from '@binder-cell/launch-protocol';
import type {
  FailedEvent,
  LaunchEvent,
  LaunchRequest,
  ReadyEvent,
} from '@binder-cell/launch-protocol';
import type { Logger } from 'pino';
import type { RepoAdmission } from '../admission/repo-admission.js';
import { sessionRepoName } from '../admission/repo-name.js';
import { describeResources, readResourceRequest } from '../admission/resources.js';
import type { ResourceGrants, Resources } from '../admission/resources.js';
import { kernelspecNames } from '../backends/shared/kernel-server-client.js';
import type { Backend, BuiltImage, KernelServer, SessionDescription } from '../backends/types.js';
import { readRepoFiles } from '../environment/repo-files.js';
import { HttpError, badRequest, unprocessable } from '../errors.js';
import { TakenElsewhere } from '../pools/assignments.js';
import type { ClaimedSession, PoolClaims, UnassignedSession } from '../pools/types.js';
import type { RepoProviders, RepoRef } from '../repo/index.js';
import { providerOf } from '../metrics/metrics.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { hashToken, newToken } from '../sessions/token.js';
import { buildSummary } from './build-queue.js';
import type { BuildQueue } from './build-queue.js';
import type { ClientLimiter } from './client-limiter.js';
import { failureEvent } from './failure.js';
import { LaunchObserver } from './launch-observer.js';
import { readableEvent } from './readable-events.js';
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
  /** Bans, allow-list and per-repository quotas. */
  admission?: RepoAdmission;
  /** What a repository's `binder/resources.json` may be granted. */
  resources?: ResourceGrants;
  /** Where launch outcomes and durations are counted. */
  metrics?: ServerMetrics;
  /** Warm pools a launch may take a running session from. */
  pools?: PoolClaims;
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
  resources?: Resources;
}

/** resolve -> fetch -> build -> spawn -> register: the launch pipeline, backend-agnostic. */
export class Launcher {
  constructor(private readonly deps: LauncherDeps) {}

  /** Validates a request and takes its slots; throws HttpError (400/403/404/429/503). */
  begin(request: LaunchRequest, client: string): Launch {
    const observer = this.observe(providerOf(isImageLaunch(request) ? undefined : request.repo));
    try {
      this.deps.shutdown.refuseIfStopping();
      return this.admit(request, client, observer);
    } catch (error) {
      this.endRefused(observer, error);
      throw error;
    }
  }

  /**
   * Logs and counts a launch the routes refused before `begin` (the page's origin, an API
   * key, the rate limit, a malformed request), as launches refused later are; `spec` is the
   * requested repository when the request named one. Returns the `failed` event to send.
   */
  refuse(error: unknown, spec: unknown): FailedEvent {
    const provider = typeof spec === 'string' ? providerOf(spec) : 'unknown';
    return this.endRefused(this.observe(provider), error);
  }

  private observe(provider: string): LaunchObserver {
    return new LaunchObserver({
      logger: this.deps.logger,
      metrics: this.deps.metrics,
      provider,
      launchId: randomUUID(),
    });
  }

  private endRefused(observer: LaunchObserver, error: unknown): FailedEvent {
    const refused = failureEvent(error);
    observer.event(refused);
    observer.end(outcomeOf(refused));
    return refused;
  }

  private admit(request: LaunchRequest, client: string, observer: LaunchObserver): Launch {
    const kernel = request.kernel ?? this.deps.defaultKernel;
    if (!KERNEL_NAME.test(kernel))
      throw badRequest(`invalid kernel name ${JSON.stringify(kernel)}`);
    const held: (() => void)[] = [];
    const release = () => held.splice(0).forEach((releaseOne) => releaseOne());
    let prepare: (context: LaunchContext, observer: LaunchObserver) => Promise<SessionSource>;
    let pooled: RepoRef | undefined;
    try {
      // Before the provider looks at the spec, so a banned repository costs nothing.
      if (this.deps.admission) held.push(this.deps.admission.admit(request));
      if (isImageLaunch(request)) {
        const { image } = request;
        prepare = (context) => this.fromImage(image, context);
      } else {
        const repo = this.deps.providers.parse(request.repo, {
          ...(request.ref !== undefined ? { ref: request.ref } : {}),
          ...(request.repoToken !== undefined ? { repoToken: request.repoToken } : {}),
        });
        prepare = this.fromRepo(repo);
        // A token proves access to a private repository only by fetching it: no pool for those.
        if (request.repoToken === undefined) pooled = repo;
      }
      held.push(this.deps.clients.acquire(client));
    } catch (error) {
      release();
      throw error;
    }
    const claimed = pooled && this.deps.pools?.claim(pooled, kernel);
    // A pooled session holds its registry place already.
    if (!claimed) {
      try {
        held.push(this.deps.registry.reserve());
      } catch (error) {
        release();
        throw error;
      }
    }
    const run = async (given: LaunchContext) => {
      const signal = AbortSignal.any([given.signal, this.deps.shutdown.signal]);
      // Readers see events without terminal codes; the observer logs and counts them.
      const context = observed(
        { ...given, signal, emit: (event: LaunchEvent) => given.emit(readableEvent(event)) },
        observer,
      );
      try {
        const fresh = async () =>
          this.startSession(await prepare(context, observer), kernel, context);
        const ready = claimed
          ? await this.assignPooled(
              claimed,
              context,
              () => (pooled ? this.deps.pools?.claim(pooled, kernel) : undefined),
              () => {
                held.push(this.deps.registry.reserve());
                return fresh();
              },
            )
          : await fresh();
        context.emit(ready);
        observer.end('ready');
      } catch (error) {
        const failed = this.failure(error, signal, observer);
        context.emit(failed);
        observer.end(given.signal.aborted ? 'abandoned' : outcomeOf(failed));
      } finally {
        release();
      }
    };
    return { run: (context) => this.deps.shutdown.track(run(context)) };
  }

  private fromRepo(
    repo: RepoRef,
  ): (
    context: Pick<LaunchContext, 'signal' | 'emit'>,
    observer?: LaunchObserver,
  ) => Promise<SessionSource> {
    return async ({ signal, emit }, observer) => {
      emit({ phase: 'waiting', message: `Launching ${repo.spec}` });
      emit({ phase: 'resolving', message: `Resolving ${repo.spec}` });
      const resolved = await repo.resolve(signal);
      emit({ phase: 'fetching', message: `Fetching ${repo.repoUrl} at ${resolved.ref}` });
      const repoDir = await resolved.fetch(signal, (line) =>
        emit({ phase: 'fetching', log: line }),
      );
      emit({ phase: 'building', message: 'Preparing the environment' });
      const log = (line: string) => emit({ phase: 'building', log: line });
      const files = await readRepoFiles(repoDir);
      const resources = await this.grantResources(resolved.persistentSpec, files, emit);
      const plan = await this.deps.backend.plan({
        files,
        repo: resolved.persistentSpec,
        ref: resolved.ref,
      });
      plan.report.forEach(log);
      const built = observer?.buildStarted();
      const { image, stages } = await this.deps.builds
        .build(plan, log, signal)
        .catch((error: unknown) => {
          built?.('failed');
          throw error;
        });
      built?.(stages.every((stage) => stage.reused) ? 'reused' : 'built');
      emit({
        phase: 'launching',
        message: `${buildSummary(stages)}; starting a kernel server`,
        image: image.name,
      });
      return {
        repo: resolved.persistentSpec,
        ref: resolved.ref,
        repoUrl: repo.repoUrl,
        refUrl: resolved.refUrl,
        image,
        repoDir,
        ...(resources ? { resources } : {}),
      };
    };
  }

  /** Grants what the repository's resources file asks for, and says what was granted. */
  private async grantResources(
    spec: string,
    files: { dir: string; configDir: string },
    emit: LaunchContext['emit'],
  ): Promise<Resources | undefined> {
    if (!this.deps.resources) return undefined;
    const request = await readResourceRequest(files.dir, files.configDir);
    if (!request) return undefined;
    const { granted, capped } = this.deps.resources.grant(sessionRepoName(spec), request);
    const enforced = this.deps.backend.enforcesResources === true;
    emit({
      phase: 'building',
      message:
        `Granted ${describeResources(granted)}` +
        (capped.length > 0 ? ` (capped: ${capped.join('; ')})` : '') +
        (enforced
          ? ''
          : `; the ${this.deps.backend.name} backend does not enforce resource limits`),
    });
    return granted;
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

  /**
   * Starts a session for a warm pool the way a launch of `repo` would (resolve, fetch,
   * build, spawn), but with no reader's token and not registered: the pool holds it until a
   * launch takes it. `expiresAt` (epoch ms) goes into its labels. Throws what a launch's
   * pipeline throws.
   */
  async startUnassigned(
    repo: RepoRef,
    kernel: string,
    pool: string,
    expiresAt: number,
    signal: AbortSignal,
  ): Promise<UnassignedSession> {
    const source = await this.fromRepo(repo)({ signal, emit: () => undefined });
    const { session, server } = await this.spawnSession(source, kernel, {
      signal,
      expiresAt,
      token: newToken(),
      pool,
      log: (line) => this.deps.logger.info({ pool }, line),
    });
    return { session, image: source.image, server };
  }

  /**
   * Gives a pooled session to the launch; when another server of the instance gave it to
   * its reader first, the next one, and when the pool has none left, a fresh session.
   */
  private async assignPooled(
    claimed: ClaimedSession,
    context: LaunchContext,
    next: () => ClaimedSession | undefined,
    fresh: () => Promise<ReadyEvent>,
  ): Promise<ReadyEvent> {
    for (let current: ClaimedSession | undefined = claimed; current; current = next()) {
      try {
        return await this.assign(current, context);
      } catch (error) {
        if (!(error instanceof TakenElsewhere)) throw error;
      }
    }
    return fresh();
  }

  /** Gives a pooled session to the launch that claimed it, with a token of its own. */
  private async assign(claimed: ClaimedSession, context: LaunchContext): Promise<ReadyEvent> {
    const { session: pooled, image, server, kernelId } = claimed.member;
    context.emit({ phase: 'waiting', message: `Launching ${pooled.repo}` });
    const token = newToken();
    const now = Date.now();
    const session: SessionDescription = {
      id: pooled.id,
      tokenHash: hashToken(token),
      kernel: pooled.kernel,
      repo: pooled.repo,
      ref: pooled.ref,
      repoUrl: pooled.repoUrl,
      refUrl: pooled.refUrl,
      createdAt: now,
    };
    const releasePoolPlace = await claimed.assign(session, context.signal);
    try {
      return this.register(session, image, server, token, context, kernelId);
    } finally {
      releasePoolPlace();
    }
  }

  private async spawnSession(
    source: SessionSource,
    kernel: string,
    { signal, expiresAt, token, pool, log }: SpawnOptions,
  ): Promise<{ session: SessionDescription; server: KernelServer }> {
    const session: SessionDescription = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      kernel,
      repo: source.repo,
      ref: source.ref,
      repoUrl: source.repoUrl,
      refUrl: source.refUrl,
      createdAt: Date.now(),
      ...(pool !== undefined ? { pool } : {}),
    };
    const server = await this.deps.backend.spawn({
      session,
      image: source.image,
      repoDir: source.repoDir,
      ...(source.resources ? { resources: source.resources } : {}),
      expiresAt,
      signal,
      log,
    });
    try {
      await requireKernel(server, kernel, signal);
      signal.throwIfAborted();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return { session, server };
  }

  private async startSession(
    source: SessionSource,
    kernel: string,
    context: LaunchContext,
  ): Promise<ReadyEvent> {
    const token = newToken();
    const { session, server } = await this.spawnSession(source, kernel, {
      signal: context.signal,
      expiresAt: Date.now() + this.deps.registry.limits.maxAgeMs,
      token,
      log: (line) => context.emit({ phase: 'launching', log: line }),
    });
    return this.register(session, source.image, server, token, context);
  }

  private register(
    session: SessionDescription,
    image: BuiltImage,
    server: KernelServer,
    token: string,
    { publicUrl }: LaunchContext,
    kernelId?: string,
  ): ReadyEvent {
    const registered = { ...session, image, lastActivity: Date.now(), server };
    this.deps.registry.add(registered);
    const url = new URL(`sessions/${session.id}/`, publicUrl);
    return {
      phase: 'ready',
      message: `Session ${session.id} is ready`,
      sessionId: session.id,
      url: url.href,
      wsUrl: url.href.replace(/^http/, 'ws'),
      token,
      kernel: session.kernel,
      expiresAt: this.deps.registry.expiresAt(registered).toISOString(),
      image: image.name,
      repo: session.repo,
      ref: session.ref,
      repoUrl: session.repoUrl,
      refUrl: session.refUrl,
      ...(kernelId !== undefined ? { kernelId } : {}),
    };
  }

  private failure(error: unknown, signal: AbortSignal, observer: LaunchObserver): FailedEvent {
    if (signal.aborted && signal.reason instanceof HttpError) {
      observer.log.info({ reason: signal.reason.message }, 'launch stopped');
      return failureEvent(signal.reason);
    }
    if (signal.aborted && !(error instanceof HttpError)) {
      observer.log.info('launch abandoned by its client');
      return { phase: 'failed', status: 500, message: 'The launch was abandoned.' };
    }
    const event = failureEvent(error);
    if (event.status === 500) observer.log.error({ err: error }, 'launch failed');
    return event;
  }
}

/** How a session is spawned: for a launch, or for a warm pool (`pool`). */
interface SpawnOptions {
  signal: AbortSignal;
  /** Epoch ms; goes into the session's labels. */
  expiresAt: number;
  token: string;
  pool?: string;
  /** Lines for the launch log. */
  log: (line: string) => void;
}

/** The context with every event it emits also logged by the launch's observer. */
function observed(context: LaunchContext, observer: LaunchObserver): LaunchContext {
  return {
    ...context,
    emit: (event) => {
      observer.event(event);
      context.emit(event);
    },
  };
}

function outcomeOf(event: FailedEvent): 'refused' | 'failed' {
  return event.status < 500 ? 'refused' : 'failed';
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
