import { anyWithTimeout } from '../../util/abortable.js';
import type { Readable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { RenderContext } from '../../buildpacks/index.js';
import { HttpError } from '../../errors.js';
import { sha256 } from '../../util/files.js';
import { buildContext } from '../docker/build-context.js';
import { LABELS } from '../docker/labels.js';
import { planImages } from '../docker/image-plan.js';
import type { ImageBuild } from '../docker/image-plan.js';
import { BackendError, buildFailed, stoppedBecause } from '../shared/backend-error.js';
import type { BuildPlan, BuildSource, BuildStage, BuiltImage, StageInput } from '../types.js';
import type { KubeClient } from './client.js';
import type { KubernetesSettings } from './config.js';
import { componentLabels, instanceLabels, selector } from './labels.js';
import { BUILD_CONTAINER, CONTEXT_CONTAINER, PUSH_CONTAINER, buildPod } from './build-manifests.js';
import { PodStates } from './pod-states.js';
import {
  containerState,
  disruptionOf,
  evictionOf,
  finishedAt,
  podEnded,
  podProblem,
} from './pod-status.js';
import type { ImageRegistry } from './registry.js';

/** Bumped whenever a change here should rebuild every image. */
export const KUBERNETES_BUILDER_VERSION = '1';

/** Lines of a failed build's log kept for its error. */
const TAIL_LINES = 30;

export interface BuildPodOptions {
  client: KubeClient;
  registry: ImageRegistry;
  instanceId: string;
  settings: KubernetesSettings;
  render: Omit<RenderContext, 'builderVersion' | 'debianSuite' | 'basePython'>;
  glueFile: string;
  logger: Logger;
  /** Resolves once the NetworkPolicies (build pods', and sessions' a launch needs next) are in place; rejects when one cannot be. */
  networkPolicyInPlace: () => Promise<void>;
}

/**
 * How a build pod ended, as its watch tells; `serverFault` when it failed in a step the
 * repository does not run (receiving the context, pushing): the registry's or the
 * server's fault.
 */
type BuildEnd = { ok: true } | { ok: false; reason: string; serverFault?: boolean };

/**
 * Builds a repository's two images (see planImages) in build pods that push them to the
 * registry, after asking the registry whether they exist. One pod per image, named after
 * it: a launch that finds the pod there already (409) follows it instead of building again,
 * whichever instance (release) made it, since the image is the same.
 */
export class BuildPods {
  readonly version = KUBERNETES_BUILDER_VERSION;
  /** Each planned content image's start script; spawn wraps the session's command in it. */
  private readonly startScripts = new Map<string, string | undefined>();
  private readonly pods: PodStates;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: BuildPodOptions) {
    // Every instance's build pods, not only this one's: a pod is named after the image it
    // builds, so releases sharing a namespace and a registry prefix share it (one build
    // per image), and one following another's pod must see it change.
    this.pods = new PodStates(options.client, selector(componentLabels('build')));
  }

  /** The base image build pods start from. */
  get baseImage(): string {
    const { settings } = this.options;
    return settings.baseImage ?? `${settings.registry.prefix}/base:${settings.debianSuite}`;
  }

  async plan(source: BuildSource): Promise<BuildPlan> {
    const { settings, registry } = this.options;
    const baseId = await registry.digest(this.baseImage);
    if (!baseId) {
      throw new HttpError(
        503,
        `this server's base image ${this.baseImage} is not in the registry: make it with "binder-cell-server base-image" and push it there`,
      );
    }
    return planImages(source, {
      version: this.version,
      builder: `kubernetes/${this.version}`,
      render: {
        ...this.options.render,
        debianSuite: settings.debianSuite,
        basePython: settings.basePython,
      },
      baseImage: this.baseImage,
      baseId,
      glueFile: this.options.glueFile,
      tag: (kind, key) => `${settings.registry.prefix}/${kind}:${key}`,
      exists: async (tag) => (await registry.digest(tag)) !== undefined,
      stage: (kind, build) => {
        if (kind === 'content') this.startScripts.set(build.tag, build.labels[LABELS.start]);
        return this.stage(kind, build);
      },
    });
  }

  /**
   * The start script of a content image this server planned (undefined: none, or an
   * image it did not plan, such as one launched by name).
   */
  startScriptOf(image: string): string | undefined {
    return this.startScripts.get(image);
  }

  /** Deletes finished build pods that ended more than `keepFinishedSeconds` ago. */
  async removeStale(now = Date.now()): Promise<void> {
    const keepMs = this.options.settings.builder.keepFinishedSeconds * 1000;
    const pods = await this.options.client.listPods(
      selector(instanceLabels(this.options.instanceId, 'build')),
    );
    for (const pod of pods) {
      const endedAt = finishedAt(pod);
      if (endedAt !== undefined && now - endedAt >= keepMs) {
        await this.options.client.deletePod(pod.metadata?.name ?? '');
      }
    }
  }

  close(): void {
    this.pods.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private stage(kind: string, build: ImageBuild): BuildStage {
    return {
      key: build.tag,
      kind,
      noun: `${kind} image`,
      find: async () =>
        (await this.options.registry.digest(build.tag)) ? image(build.tag) : undefined,
      build: (input) => this.buildImage(kind, build, input),
    };
  }

  private async buildImage(
    kind: string,
    build: ImageBuild,
    input: StageInput,
  ): Promise<BuiltImage> {
    const { client, settings, instanceId } = this.options;
    const buildHash = sha256(build.tag).slice(0, 32);
    const name = `binder-cell-build-${buildHash}`;
    const pod = buildPod({
      name,
      instanceId,
      buildHash,
      tag: build.tag,
      dockerfile:
        build.spec.context.kind === 'repository' ? build.spec.context.dockerfile : 'Dockerfile',
      buildargs: build.buildargs,
      labels: build.labels,
      settings,
    });
    await this.options.networkPolicyInPlace();
    let created = await client.createPod(pod);
    if (created === 'exists' && (await this.finishedUnusable(name, build.tag))) {
      created = await client.createPod(pod);
    }
    if (created === 'exists' && (await this.abandoned(name, input.signal))) {
      input.log(
        `The replica that started the build of the ${kind} image ${build.tag} went away; building again`,
      );
      await client.deletePod(name);
      await this.pods.until(name, (found) => (found ? undefined : true), input.signal);
      created = await client.createPod(pod);
    }
    input.log(
      created === 'created'
        ? `Building the ${kind} image ${build.tag} in pod ${name}`
        : `Following the build of the ${kind} image ${build.tag} under way in pod ${name}`,
    );
    for (const note of build.scripts.flatMap((script) => script.notes)) input.log(note);
    const tail: string[] = [];
    const log = (line: string) => {
      input.log(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    try {
      if (created === 'created') {
        // A pod whose context never came would keep every later launch of the image waiting.
        await this.sendContext(name, build, input.signal).catch(async (error: unknown) => {
          if (!input.signal.aborted) await client.deletePod(name).catch(() => undefined);
          throw error;
        });
      }
      const end = await this.follow(name, build.tag, log, input.signal);
      if (!end.ok) {
        const message = `the ${kind} image failed: ${end.reason}`;
        throw new BackendError('build', message, tail, !end.serverFault);
      }
    } catch (error) {
      if (!input.signal.aborted) throw error;
      // A build past its timeout is stopped; one whose launches went away finishes and pushes.
      if ((input.signal.reason as Error | undefined)?.name === 'TimeoutError') {
        await client.deletePod(name).catch(() => undefined);
      }
      throw buildFailed(`the ${kind} image ${stoppedBecause(input.signal)}`, tail);
    } finally {
      this.removeLater(name);
    }
    if (!(await this.options.registry.digest(build.tag))) {
      throw buildFailed(`the ${kind} image ${build.tag} was not pushed to the registry`, tail);
    }
    return image(build.tag);
  }

  /**
   * Whether a build pod found under the image's name is a finished one of no use: it
   * failed, or it succeeded but the image is not in the registry (deleted since). Such a
   * pod is deleted, so the build starts afresh.
   */
  private async finishedUnusable(name: string, tag: string): Promise<boolean> {
    const pod = await this.options.client.readPod(name);
    const phase = pod?.status?.phase;
    if (phase !== 'Failed' && phase !== 'Succeeded') return pod === undefined;
    if (phase === 'Succeeded' && (await this.options.registry.digest(tag))) return false;
    await this.options.client.deletePod(name);
    return true;
  }

  /**
   * Whether a build pod another replica made waits for a context that will not come: its
   * first step has run `builder.contextDeadlineSeconds` (counted from when this replica
   * first saw it running, when the pod does not say) without receiving it.
   */
  private async abandoned(name: string, signal: AbortSignal): Promise<boolean> {
    const startedAt = await this.pods.until(
      name,
      (pod) => {
        const state = contextState(pod);
        if (state === undefined) return undefined;
        return state.running ? new Date(state.running.startedAt ?? NaN).getTime() || Date.now() : 0;
      },
      signal,
    );
    if (startedAt === 0) return false;
    const deadline = startedAt + this.options.settings.builder.contextDeadlineSeconds * 1000;
    const waited = anyWithTimeout([signal], Math.max(0, deadline - Date.now()));
    try {
      await this.pods.until(name, (pod) => (contextState(pod)?.running ? undefined : true), waited);
      return false;
    } catch (error) {
      if (signal.aborted || !waited.aborted) throw error;
      return true;
    }
  }

  /** Streams the build context into the pod's first container once it runs. */
  private async sendContext(name: string, build: ImageBuild, signal: AbortSignal): Promise<void> {
    await this.pods.until(
      name,
      (pod) => {
        if (!pod) {
          throw new BackendError('build', `the build pod ${name} was deleted`, [], false);
        }
        const state = containerState(pod, CONTEXT_CONTAINER, true);
        if (state?.running || state?.terminated) return true;
        const problem = podProblem(pod);
        if (problem) throw buildFailed(`the build pod ${problem}`);
        return undefined;
      },
      signal,
    );
    const context = await buildContext({
      context: build.spec.context,
      dockerfile: build.spec.dockerfile,
      repoDir: build.files.dir,
      ignoreFiles: build.files.ignoreFiles,
      scripts: build.scripts,
      glueFile: this.options.glueFile,
    });
    await this.options.client.attachInput(name, CONTEXT_CONTAINER, context as Readable, signal);
  }

  /**
   * Follows the build step's log, then the push step's, into the launch's, and waits for
   * the pod to end.
   */
  private async follow(
    name: string,
    tag: string,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<BuildEnd> {
    for (const step of [BUILD_STEP, PUSH_STEP]) {
      const started = await this.pods.until(
        name,
        (pod) => {
          if (!pod) return false;
          const state = containerState(pod, step.container, step.init);
          if (state?.running || state?.terminated) return true;
          if (podEnded(pod)) return false;
          const problem = podProblem(pod);
          if (problem) throw buildFailed(`the build pod ${problem}`);
          return undefined;
        },
        signal,
      );
      if (!started) break;
      if (step === PUSH_STEP) log(`Pushing ${tag}`);
      await this.options.client
        .followLog(name, step.container, log, signal)
        .catch((error: unknown) =>
          log(`(the ${step.container} log could not be read: ${(error as Error).message})`),
        );
    }
    return this.pods.until(name, (pod) => buildEnd(name, tag, pod), signal);
  }

  private removeLater(name: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.options.client.deletePod(name).catch((error: unknown) => {
        this.options.logger.warn({ err: error, pod: name }, 'could not delete a build pod');
      });
    }, this.options.settings.builder.keepFinishedSeconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }
}

function image(tag: string): BuiltImage {
  return { id: tag, name: tag };
}

/**
 * Where a build pod's context step is: `running` while it waits for (or unpacks) the
 * context; `{}` once past it (or the pod is gone, ended, or past its first step); undefined
 * before it starts.
 */
function contextState(
  pod: V1Pod | undefined,
): { running?: { startedAt?: Date | string } } | undefined {
  if (!pod || podEnded(pod)) return {};
  const state = containerState(pod, CONTEXT_CONTAINER, true);
  if (state?.running) return { running: { startedAt: state.running.startedAt } };
  return state?.terminated ? {} : undefined;
}

/** A step of a build pod whose log the launch shows. */
interface Step {
  container: string;
  init: boolean;
}
const BUILD_STEP: Step = { container: BUILD_CONTAINER, init: true };
const PUSH_STEP: Step = { container: PUSH_CONTAINER, init: false };

/**
 * How a build pod ended, or undefined while it runs; a failure names the step that failed
 * (`the build failed: ...`, `pushing <tag> failed: ...`), or what took the pod away (an
 * eviction, a deletion, a disruption: the cluster's doing, not the repository's).
 */
function buildEnd(name: string, tag: string, pod: V1Pod | undefined): BuildEnd | undefined {
  if (!pod) {
    return {
      ok: false,
      reason: `its pod ${name} was deleted while it ran (a node drain, a preemption or a delete), through no fault of the repository: launch again`,
      serverFault: true,
    };
  }
  const { phase, reason, message } = pod.status ?? {};
  if (phase === 'Succeeded') return { ok: true };
  if (phase !== 'Failed') return undefined;
  const takenAway = evictionOf(pod, 'builder.workspaceSize') ?? disruptionOf(pod);
  if (takenAway) {
    return { ok: false, reason: `its pod ${name} ended early: ${takenAway}`, serverFault: true };
  }
  if (reason === 'DeadlineExceeded') {
    return { ok: false, reason: 'it took longer than the build timeout and was stopped' };
  }
  const unpacked = containerState(pod, CONTEXT_CONTAINER, true)?.terminated;
  if (unpacked && unpacked.exitCode !== 0) {
    return {
      ok: false,
      reason: `the build context did not arrive whole (tar exited with code ${unpacked.exitCode}): the replica sending it may have gone away`,
      serverFault: true,
    };
  }
  const built = containerState(pod, BUILD_CONTAINER, true)?.terminated;
  if (built?.reason === 'OOMKilled') {
    return {
      ok: false,
      reason: 'the build failed: it used more memory than build pods may (OOMKilled)',
    };
  }
  if (built && built.exitCode !== 0) {
    return {
      ok: false,
      reason: `the build failed: the builder exited with code ${built.exitCode}`,
    };
  }
  const pushed = containerState(pod, PUSH_CONTAINER)?.terminated;
  if (pushed && pushed.exitCode !== 0) {
    return {
      ok: false,
      reason: `pushing ${tag} failed: the pusher exited with code ${pushed.exitCode}`,
      serverFault: true,
    };
  }
  return { ok: false, reason: message ?? reason ?? 'the build pod failed' };
}
