import type { V1ContainerState, V1Pod } from '@kubernetes/client-node';

/** Container waiting reasons that mean its image will not be pulled. */
const PULL_FAILURES = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

/** Why a pod cannot go on (one of its images cannot be pulled), or undefined. */
export function podProblem(pod: V1Pod): string | undefined {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const status of statuses) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) {
      const detail = waiting.message ? `: ${waiting.message}` : '';
      return `could not pull the image ${status.image} (${waiting.reason}${detail})`;
    }
  }
  return undefined;
}

/**
 * Why the kubelet evicted a pod, in the reader's words with the kubelet's own message, or
 * undefined when it was not evicted (pod status reason `Evicted`, phase `Failed`). Its
 * containers were killed, so their exit codes (137) tell nothing more. `diskLimit` names
 * the setting a pod that wrote past its own disk limit went over (the kubelet's
 * `exceeds`/`exceeded` messages for a container's ephemeral storage, the pod's, or an
 * emptyDir's `sizeLimit`); a node short of a resource is named as such.
 */
export function evictionOf(
  pod: V1Pod,
  diskLimit = 'sessions.ephemeralStorage.limit',
): string | undefined {
  if (pod.status?.reason !== 'Evicted') return undefined;
  const message = pod.status.message?.trim() ?? '';
  const short = /low on resource: "?([\w-]+)/i.exec(message)?.[1];
  const cause =
    /ephemeral|emptydir/i.test(message) && /exceed/i.test(message)
      ? `it wrote more to its local disk than its limit allows (${diskLimit})`
      : short
        ? `its node ran short of ${short}`
        : 'its node evicted it';
  return `${cause} (Evicted${message ? `: ${message}` : ''})`;
}

/**
 * Why a pod's container ended, in the reader's words, when the pod or the container
 * says: evicted, out of memory (OOMKilled), or the exit code; undefined while it runs.
 */
export function endedBecause(pod: V1Pod, container: string): string | undefined {
  const evicted = evictionOf(pod);
  if (evicted) return evicted;
  const terminated = containerState(pod, container)?.terminated;
  if (terminated?.reason === 'OOMKilled') {
    return 'it used more memory than its limit allows (OOMKilled)';
  }
  if (terminated) return `its container exited with code ${terminated.exitCode}`;
  return podEnded(pod) ? `its pod ended (${pod.status?.reason ?? pod.status?.phase})` : undefined;
}

/**
 * Why a pod was taken away while it ran, when it was: deleted (a node drain, a preemption,
 * someone's `kubectl delete`: `deletionTimestamp` set) or marked for disruption
 * (`DisruptionTarget` condition); undefined otherwise. Its containers were stopped, so
 * their exit codes (137, 143) tell nothing about what they ran.
 */
export function disruptionOf(pod: V1Pod): string | undefined {
  const condition = pod.status?.conditions?.find(
    (c) => c.type === 'DisruptionTarget' && c.status === 'True',
  );
  if (condition) {
    const detail = condition.message ? `: ${condition.message}` : '';
    return `it was stopped by the cluster (${condition.reason ?? 'DisruptionTarget'}${detail})`;
  }
  return pod.metadata?.deletionTimestamp
    ? 'it was deleted while it ran (a node drain, a preemption or a delete)'
    : undefined;
}

/** The state of a pod's container (an init container with `init`), undefined before it has one. */
export function containerState(
  pod: V1Pod,
  name: string,
  init = false,
): V1ContainerState | undefined {
  const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return statuses?.find((status) => status.name === name)?.state;
}

/** Whether a pod has ended (its containers will not run again). */
export function podEnded(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * When a finished pod's last container (or init container, if it failed at one) ended
 * (epoch ms), or undefined while it runs.
 */
export function finishedAt(pod: V1Pod): number | undefined {
  if (!podEnded(pod)) return undefined;
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const times = statuses.flatMap((status) => {
    const at = status.state?.terminated?.finishedAt;
    return at === undefined ? [] : [new Date(at).getTime()];
  });
  return times.length > 0
    ? Math.max(...times)
    : new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
}
