import type { V1Pod } from '@kubernetes/client-node';
import type { Resources } from '../../admission/resources.js';
import { NOTICE } from '../docker/container-spawner.js';
import { internalToken } from '../shared/jupyter-command.js';
import { untilAnswering } from '../shared/kernel-server-client.js';
import { serverUrl } from '../shared/server-url.js';
import { startWithDeadline } from '../shared/start-deadline.js';
import { earlyExitError } from '../shared/start-diagnosis.js';
import type { InstanceSessions, KernelServer, ListedSession, SpawnRequest } from '../types.js';
import type { KubeClient } from './client.js';
import type { KubernetesSettings } from './config.js';
import {
  POD_ANNOTATIONS,
  POD_LABELS,
  instanceLabels,
  listedFromPod,
  selector,
  sessionPodMetadata,
} from './labels.js';
import { SESSION_CONTAINER, sessionPod } from './manifests.js';
import { objectName } from './names.js';
import { PodStates } from './pod-states.js';
import { endedBecause, evictionOf, podEnded, podProblem } from './pod-status.js';

export interface SessionPodOptions {
  client: KubeClient;
  instanceId: string;
  settings: KubernetesSettings['sessions'];
  /** config `sessions.startTimeoutSeconds`, in ms. */
  startTimeoutMs: number;
  /** The start script of an image (see BuildPods.startScriptOf). */
  startScriptOf(image: string): string | undefined;
}

/** What a session pod's state means for a start that waits on it. */
type StartState =
  | { state: 'running'; pod: V1Pod }
  | { state: 'exited'; exitCode: number; outOfMemory: boolean }
  | { state: 'failed'; message: string };

/**
 * One pod per session, from the session image, running the kernel-only jupyter_server the
 * proxy reaches at the pod's IP. Pods carry the instance's labels, so every replica lists,
 * finds and adopts them; one watch per replica tells when they end.
 */
export class SessionPods {
  private readonly pods: PodStates;
  private readonly closing = new AbortController();

  constructor(private readonly options: SessionPodOptions) {
    this.pods = new PodStates(options.client, this.selector);
  }

  private get selector(): string {
    return selector(instanceLabels(this.options.instanceId, 'session'));
  }

  async spawn({
    session,
    image,
    expiresAt,
    resources,
    signal,
    log,
  }: SpawnRequest): Promise<KernelServer> {
    const { client, settings } = this.options;
    const name = podName(session.id);
    const start = this.options.startScriptOf(image.name);
    const token = internalToken();
    await client.createPod(
      sessionPod({
        name,
        ...sessionPodMetadata(this.options.instanceId, session, image.name, expiresAt),
        image: image.id,
        start,
        token,
        ...quantities(settings, resources),
        settings,
      }),
    );
    let unschedulable: string | undefined;
    let tail: string[] | undefined;
    return startWithDeadline({
      what: 'the session pod',
      timeoutMs: this.options.startTimeoutMs,
      signal,
      untilReady: async (deadline) => {
        const started = await this.pods.until(
          name,
          (pod) => {
            const why = unschedulableBecause(pod);
            if (why !== undefined && why !== unschedulable) {
              unschedulable = why;
              log(`The session pod cannot be scheduled yet: ${why}`);
            }
            return startState(pod);
          },
          deadline,
        );
        if (started.state === 'failed') throw new Error(started.message);
        if (started.state === 'exited') {
          tail = await client.logTail(name, SESSION_CONTAINER);
          throw earlyExitError({
            exitCode: started.exitCode,
            tail,
            startScript: start,
            outOfMemory: started.outOfMemory,
            user: '1000:1000',
            home: undefined,
          });
        }
        const server = this.connect(started.pod, token);
        await untilAnswering(server, server.exited, deadline);
        for (const line of await client.logTail(name, SESSION_CONTAINER)) {
          if (line.startsWith(NOTICE)) log(line.slice(NOTICE.length));
        }
        return server;
      },
      stopAfterFailure: async () => {
        tail ??= await client.logTail(name, SESSION_CONTAINER);
        await client.deletePod(name);
        return tail.length > 0 || unschedulable === undefined
          ? tail
          : [`the scheduler: ${unschedulable}`];
      },
    });
  }

  /**
   * This instance's session pods. Pods still starting (another replica's launches) are
   * left out until they are older than the start timeout: then they count as stopped.
   */
  async list(now = Date.now()): Promise<ListedSession[]> {
    const pods = await this.options.client.listPods(this.selector);
    return pods.flatMap((pod) => {
      const listed = this.listed(pod);
      if (listed) return [listed];
      const created = new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
      const stuck =
        now - created > this.options.startTimeoutMs ? this.listed(pod, true) : undefined;
      return stuck ? [stuck] : [];
    });
  }

  /** The session with this id, if its pod is there (a pool member no reader took is not). */
  async find(sessionId: string): Promise<ListedSession | undefined> {
    const pod = await this.options.client.readPod(podName(sessionId));
    const annotations = pod?.metadata?.annotations ?? {};
    const claim = annotations[POD_ANNOTATIONS.claimed];
    // A pool member is a reader's session only once claimed; a hashed name is checked
    // against the id it stands for.
    if (!pod || (claim !== undefined && claim !== 'true')) return undefined;
    if (annotations[POD_ANNOTATIONS.session] !== sessionId) return undefined;
    const owned = pod.metadata?.labels?.[POD_LABELS.instance] === this.options.instanceId;
    return owned ? this.listed(pod) : undefined;
  }

  /**
   * This instance's running session pods, on every replica, as this replica's watch sees
   * them: free pool members (`claimed: false`) are pooled, the others readers' (pods being
   * retired count as neither).
   */
  count(): InstanceSessions {
    const counts: InstanceSessions = { readers: 0, pooled: 0 };
    for (const pod of this.pods.current()) {
      if (pod.status?.phase !== 'Running') continue;
      const claim = pod.metadata?.annotations?.[POD_ANNOTATIONS.claimed];
      if (claim === undefined || claim === 'true') counts.readers += 1;
      else if (claim === 'false') counts.pooled += 1;
    }
    return counts;
  }

  /** Reconnects to a running session pod with the token it was started with. */
  async adopt({ session }: ListedSession): Promise<KernelServer> {
    const pod = await this.options.client.readPod(podName(session.id));
    const token = pod?.spec?.containers
      .find((container) => container.name === SESSION_CONTAINER)
      ?.env?.find((variable) => variable.name === 'JUPYTER_TOKEN')?.value;
    if (!pod || !token) throw new Error(`the pod of session ${session.id} is gone or has no token`);
    return this.connect(pod, token);
  }

  async remove({ session }: ListedSession): Promise<void> {
    await this.options.client.deletePod(podName(session.id));
  }

  close(): void {
    this.closing.abort();
    this.pods.close();
  }

  /** A listed session from its pod; running: its container runs and it has an IP. */
  private listed(pod: V1Pod, stopped = false): ListedSession | undefined {
    const annotations = pod.metadata?.annotations ?? {};
    const running = !stopped && startState(pod)?.state === 'running';
    if (!stopped && !running && pod.status?.phase === 'Pending') return undefined;
    const image = pod.spec?.containers[0]?.image ?? '';
    const listed = listedFromPod(annotations, image, running);
    const why = podEnded(pod) ? endedBecause(pod, SESSION_CONTAINER) : undefined;
    return why ? { ...listed, stoppedBecause: why } : listed;
  }

  private connect(pod: V1Pod, token: string): KernelServer {
    const name = pod.metadata?.name ?? '';
    const exited = this.pods
      .until(
        name,
        (current) =>
          current === undefined
            ? { why: 'its pod was deleted' }
            : podEnded(current)
              ? { why: endedBecause(current, SESSION_CONTAINER) }
              : undefined,
        this.closing.signal,
      )
      .then(
        ({ why }) => why,
        () => undefined,
      );
    return new PodKernelServer(
      this.options.client,
      name,
      serverUrl(pod.status?.podIP ?? '', this.options.settings.port),
      token,
      exited,
    );
  }
}

class PodKernelServer implements KernelServer {
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly name: string,
    readonly url: string,
    readonly token: string,
    readonly exited: Promise<string | undefined>,
  ) {}

  stop(): Promise<void> {
    this.stopping ??= this.client
      .deletePod(this.name)
      .catch(() => undefined)
      .then(async () => {
        await this.exited;
      });
    return this.stopping;
  }
}

/**
 * Pods are named after their session, so any replica finds a session's pod:
 * `binder-cell-<session id>`, hashed to a valid name for ids that do not make one.
 */
export function podName(sessionId: string): string {
  return objectName('binder-cell-', sessionId);
}

/** Where a starting pod is: running (with an IP), exited, failed for good, or undefined (wait). */
function startState(pod: V1Pod | undefined): StartState | undefined {
  if (!pod) return { state: 'failed', message: 'was deleted while starting' };
  const problem = podProblem(pod) ?? evictionOf(pod);
  if (problem) return { state: 'failed', message: problem };
  const container = pod.status?.containerStatuses?.find(
    (status) => status.name === SESSION_CONTAINER,
  );
  const terminated = container?.state?.terminated;
  if (terminated) {
    return {
      state: 'exited',
      exitCode: terminated.exitCode,
      outOfMemory: terminated.reason === 'OOMKilled',
    };
  }
  if (podEnded(pod)) {
    return {
      state: 'failed',
      message: `ended (${pod.status?.reason ?? pod.status?.phase}): ${pod.status?.message ?? ''}`,
    };
  }
  if (pod.status?.phase === 'Running' && container?.state?.running && pod.status.podIP) {
    return { state: 'running', pod };
  }
  return undefined;
}

/** The scheduler's message when it cannot place the pod (yet: a cluster autoscaler may add a node). */
function unschedulableBecause(pod: V1Pod | undefined): string | undefined {
  const condition = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return condition?.status === 'False' && condition.reason === 'Unschedulable'
    ? (condition.message ?? 'Unschedulable')
    : undefined;
}

/**
 * Requests and limits from what admission granted (else the configured defaults): memory
 * requested as much as allowed, CPU requested as a fraction of the limit.
 */
export function quantities(
  settings: KubernetesSettings['sessions'],
  granted: Resources | undefined,
): { memory: string; cpuLimit: string; cpuRequest: string } {
  const memory = granted?.memoryBytes !== undefined ? String(granted.memoryBytes) : settings.memory;
  const cpuLimitMillis =
    granted?.cpus !== undefined ? Math.round(granted.cpus * 1000) : cpuMillis(settings.cpu);
  const cpuRequestMillis = Math.max(1, Math.round(cpuLimitMillis * settings.cpuRequestFraction));
  return { memory, cpuLimit: `${cpuLimitMillis}m`, cpuRequest: `${cpuRequestMillis}m` };
}

/** `2`, `0.5`, `500m` as millicores. */
function cpuMillis(quantity: string): number {
  return quantity.endsWith('m')
    ? Number(quantity.slice(0, -1))
    : Math.round(Number(quantity) * 1000);
}
