import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiException,
  Attach,
  CoreV1Api,
  KubeConfig,
  Log,
  NetworkingV1Api,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';

/** One operation of a JSON patch (RFC 6902). */
export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  /** A JSON pointer: `/metadata/annotations/org.binder-cell~1claimed`. */
  path: string;
  value?: unknown;
}

/** A change to a pod a watch reports; `pod` is undefined once the pod is gone. */
export type PodEvent = { name: string; pod: V1Pod | undefined };

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** How long a watch that ended (the API server's timeout, a dropped connection) waits to start again. */
const REWATCH_MS = 1000;

/**
 * The one wrapper around @kubernetes/client-node: the calls the backend makes on pods and
 * NetworkPolicies in its namespace, with Kubernetes' answers (404, 409, 422) turned into
 * values where the backend expects them.
 */
export class KubeClient {
  private readonly core: CoreV1Api;
  private readonly networking: NetworkingV1Api;
  /** Problems already logged (a watch forbidden, a list failing), each logged once. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly config: KubeConfig,
    readonly namespace: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.core = config.makeApiClient(CoreV1Api);
    this.networking = config.makeApiClient(NetworkingV1Api);
  }

  /** Creates a pod; `exists` when one of that name is there already (409 AlreadyExists). */
  async createPod(pod: V1Pod): Promise<'created' | 'exists'> {
    try {
      await this.core.createNamespacedPod({ namespace: this.namespace, body: pod });
      return 'created';
    } catch (error) {
      if (statusOf(error) === 409) return 'exists';
      throw error;
    }
  }

  /** The pod, or undefined when there is none of that name. */
  async readPod(name: string): Promise<V1Pod | undefined> {
    try {
      return await this.core.readNamespacedPod({ name, namespace: this.namespace });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The pods whose labels match `labelSelector` (`k=v,k2=v2`). */
  async listPods(labelSelector: string): Promise<V1Pod[]> {
    return (await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector })).items;
  }

  /** Deletes a pod at once; one that is gone already counts as deleted. */
  async deletePod(name: string): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({
        name,
        namespace: this.namespace,
        gracePeriodSeconds: 0,
      });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /**
   * Applies a JSON patch to a pod: `conflict` when a `test` operation failed or the pod
   * changed under it (422, 409), `gone` when there is no such pod.
   */
  async patchPod(
    name: string,
    operations: readonly JsonPatchOperation[],
  ): Promise<'patched' | 'conflict' | 'gone'> {
    try {
      await this.core.patchNamespacedPod(
        { name, namespace: this.namespace, body: operations },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      return 'patched';
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return 'gone';
      if (status === 409 || status === 422) return 'conflict';
      throw error;
    }
  }

  /**
   * Reports every pod matching `labelSelector` and each change to them until `signal`
   * aborts: a list first (pods that disappeared meanwhile are reported gone), then a
   * watch from the list's resourceVersion, listed and watched again whenever the watch
   * ends: the API server's timeout, a dropped connection, or `410 Gone` (the
   * resourceVersion is older than the API server keeps). A new list reports every pod as
   * it is then, so no change is lost, only changes in between are seen as one. Without
   * the `watch` verb (403) it so lists every REWATCH_MS, and logs a warning once.
   */
  watchPods(labelSelector: string, onEvent: (event: PodEvent) => void, signal: AbortSignal): void {
    const known = new Set<string>();
    const path = `/api/v1/namespaces/${this.namespace}/pods`;
    const report = (name: string, pod: V1Pod | undefined) => {
      if (pod) known.add(name);
      else known.delete(name);
      onEvent({ name, pod });
    };
    const round = async () => {
      const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector });
      const listed = new Set(list.items.map((pod) => pod.metadata?.name ?? ''));
      for (const name of [...known]) if (!listed.has(name)) report(name, undefined);
      for (const pod of list.items) report(pod.metadata?.name ?? '', pod);
      let stop: (() => void) | undefined;
      let expired = false;
      const ended = await new Promise<unknown>((resolve) => {
        const watching = new Watch(this.config).watch(
          path,
          { labelSelector, resourceVersion: list.metadata?.resourceVersion },
          (type: string, pod: V1Pod) => {
            // An ERROR event (410 Gone: the resourceVersion is too old) ends this watch.
            if (type === 'ERROR') {
              expired = true;
              stop?.();
              return;
            }
            const name = pod.metadata?.name;
            if (!name || (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED')) return;
            report(name, type === 'DELETED' ? undefined : pod);
          },
          (error: unknown) => resolve(error),
        );
        void watching.then(
          (controller) => {
            stop = () => controller.abort();
            if (signal.aborted || expired) stop();
            else signal.addEventListener('abort', stop, { once: true });
          },
          (error: unknown) => resolve(error),
        );
      });
      // Each round's watch ends; its listener must not pile up on the long-lived signal.
      if (stop) signal.removeEventListener('abort', stop);
      const refused = watchStatusOf(ended);
      if (refused === 403) {
        this.warnOnce(
          'watch-forbidden',
          { namespace: this.namespace, verb: 'watch', resource: 'pods' },
          `may not watch pods in namespace ${this.namespace} (403: its Role lacks the "watch" verb on pods), ` +
            `so it lists them every ${REWATCH_MS / 1000} s instead: it sees sessions and builds end up to ` +
            'that much later, and each replica asks the API server for the list that often; grant "watch" on pods',
        );
      } else if (refused !== undefined && refused !== 410) {
        this.warnOnce(
          `watch-${refused}`,
          { namespace: this.namespace, status: refused },
          `the API server answered ${refused} to a watch of pods in namespace ${this.namespace}; ` +
            `listing them every ${REWATCH_MS / 1000} s until a watch is answered`,
        );
      }
    };
    void (async () => {
      while (!signal.aborted) {
        await round().catch((error: unknown) => {
          if (signal.aborted) return;
          this.warnOnce(
            `list-${statusOf(error) ?? 'failed'}`,
            { namespace: this.namespace, err: error },
            `could not list pods in namespace ${this.namespace}` +
              `${statusOf(error) === 403 ? ' (403: its Role lacks the "list" verb on pods)' : ''}; ` +
              `trying again every ${REWATCH_MS / 1000} s, and sessions and builds are not seen to end meanwhile`,
          );
        });
        await sleep(REWATCH_MS, undefined, { signal }).catch(() => undefined);
      }
    })();
  }

  private warnOnce(key: string, details: Record<string, unknown>, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(details, message);
  }

  /**
   * Follows a container's log line by line until it ends (the container exited) or
   * `signal` aborts. Throws when the log cannot be read (the container has not started).
   */
  async followLog(
    pod: string,
    container: string,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const output = new PassThrough();
    const lines = createInterface({ input: output });
    lines.on('line', onLine);
    const ended = new Promise<void>((resolve) => lines.once('close', resolve));
    const controller = await new Log(this.config).log(this.namespace, pod, container, output, {
      follow: true,
    });
    // Closing the reader, not ending `output`: the response may still write into it.
    const stop = () => {
      controller.abort();
      lines.close();
    };
    // The signal may have aborted while the request opened: no abort event comes then.
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    await ended;
    signal.removeEventListener('abort', stop);
  }

  /** The last lines of a container's log; none when it cannot be read. */
  async logTail(pod: string, container: string, lines = 30): Promise<string[]> {
    try {
      const text = await this.core.readNamespacedPodLog({
        name: pod,
        namespace: this.namespace,
        container,
        tailLines: lines,
      });
      return text.split('\n').filter((line) => line.trim() !== '');
    } catch {
      return [];
    }
  }

  /**
   * Sends `input` to a running container's standard input (`attach`), and resolves once
   * the API server closed the connection (the input was read to its end) or `signal`
   * aborted (the connection is then closed).
   */
  async attachInput(
    pod: string,
    container: string,
    input: Readable,
    signal: AbortSignal,
  ): Promise<void> {
    const socket = await new Attach(this.config).attach(
      this.namespace,
      pod,
      container,
      null,
      null,
      input,
      false,
    );
    const stop = () => socket.close();
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', reject);
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    signal.removeEventListener('abort', stop);
  }

  /**
   * Makes the NetworkPolicy what `policy` says: creates it, or replaces one of the same
   * name whose spec differs.
   */
  async applyNetworkPolicy(policy: V1NetworkPolicy): Promise<'created' | 'updated' | 'unchanged'> {
    const name = policy.metadata?.name ?? '';
    const namespace = this.namespace;
    try {
      await this.networking.createNamespacedNetworkPolicy({ namespace, body: policy });
      return 'created';
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const current = await this.networking.readNamespacedNetworkPolicy({ name, namespace });
    if (canonical(current.spec) === canonical(policy.spec)) return 'unchanged';
    await this.networking.replaceNamespacedNetworkPolicy({
      name,
      namespace,
      body: {
        ...policy,
        metadata: { ...policy.metadata, resourceVersion: current.metadata?.resourceVersion },
      },
    });
    return 'updated';
  }

  /** Whether the API server answers (its version endpoint). */
  async reachable(): Promise<boolean> {
    try {
      await this.core.getAPIResources();
      return true;
    } catch {
      return false;
    }
  }
}

/** JSON with object keys sorted, so objects read back from the API compare with those sent. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

/** The HTTP status a watch request was answered with, when it was refused. */
function watchStatusOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The HTTP status of a failed API call, if it was one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * The cluster's configuration: `kubeconfig` when given, else the pod's service account in
 * a cluster, else KUBECONFIG or ~/.kube/config.
 */
export function loadKubeConfig(kubeconfig: string | undefined): KubeConfig {
  const config = new KubeConfig();
  if (kubeconfig) config.loadFromFile(kubeconfig);
  else config.loadFromDefault();
  return config;
}

/** The namespace pods go in: the configured one, else the server pod's own, else `default`. */
export function namespaceOf(configured: string | undefined): string {
  return configured ?? ownNamespace() ?? 'default';
}

/** The server pod's own namespace (its service account's); undefined outside a cluster. */
export function ownNamespace(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
