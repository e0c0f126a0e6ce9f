import { HttpError } from '../errors.js';

/** Caps the launches one client (by address) may have under way at once. */
export class ClientLimiter {
  private readonly pending = new Map<string, number>();

  constructor(private readonly maxPerClient: number) {}

  /** Counts a launch for `client`; throws 429 past the cap. Returns the release function. */
  acquire(client: string): () => void {
    const count = this.pending.get(client) ?? 0;
    if (count >= this.maxPerClient) {
      throw new HttpError(
        429,
        `too many launches under way from your address (${count}); wait for one to finish`,
      );
    }
    this.pending.set(client, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(client) ?? 1) - 1;
      if (left > 0) this.pending.set(client, left);
      else this.pending.delete(client);
    };
  }
}
