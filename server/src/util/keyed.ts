/**
 * Runs at most one task per key at a time: callers asking for a key that is already
 * being worked on share the running task's promise instead of starting a second one.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const current = this.running.get(key);
    if (current) return current;
    const promise = task().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }
}

/** Serialises tasks per key (e.g. git operations on one cached repository). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async lock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.tails.set(key, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === next) this.tails.delete(key);
    }
  }
}
