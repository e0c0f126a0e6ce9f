import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient, PodEvent } from './client.js';

type Listener = (pod: V1Pod | undefined) => void;

/**
 * The pods of one label selector as a watch last reported them, for waiting on a pod's
 * state: each waiter sees the pod as it is now, then every change, until it has what it
 * waits for.
 */
export class PodStates {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Every pod of the selector as the watch last reported it. */
  private readonly known = new Map<string, V1Pod>();
  private readonly closing = new AbortController();

  constructor(
    private readonly client: KubeClient,
    labelSelector: string,
  ) {
    client.watchPods(labelSelector, (event) => this.report(event), this.closing.signal);
  }

  /**
   * Resolves with the first value `check` returns for the pod's state (undefined: the pod
   * is gone) that is not undefined; rejects when `check` throws, and with the signal's
   * reason when it aborts (or the watch is closed).
   */
  until<T>(
    name: string,
    check: (pod: V1Pod | undefined) => T | undefined,
    signal: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stopped = AbortSignal.any([signal, this.closing.signal]);
      const done = () => {
        const listeners = this.listeners.get(name);
        listeners?.delete(listener);
        if (listeners?.size === 0) this.listeners.delete(name);
        stopped.removeEventListener('abort', abort);
      };
      const listener: Listener = (pod) => {
        try {
          const value = check(pod);
          if (value === undefined) return;
          done();
          resolve(value);
        } catch (error) {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const abort = () => {
        done();
        reject(stopped.reason as Error);
      };
      if (stopped.aborted) {
        abort();
        return;
      }
      stopped.addEventListener('abort', abort, { once: true });
      let listeners = this.listeners.get(name);
      if (!listeners) this.listeners.set(name, (listeners = new Set()));
      listeners.add(listener);
      // The watch may not have seen the pod yet (or started): read it once now.
      this.client.readPod(name).then(listener, () => undefined);
    });
  }

  /** Stops the watch; waiters reject. */
  close(): void {
    this.closing.abort(new Error('the kubernetes backend is closing'));
  }

  /** The pods of the selector as the watch last reported them (none before its first list). */
  current(): V1Pod[] {
    return [...this.known.values()];
  }

  private report({ name, pod }: PodEvent): void {
    if (pod) this.known.set(name, pod);
    else this.known.delete(name);
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(pod);
  }
}
