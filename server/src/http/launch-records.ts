import { randomBytes } from 'node:crypto';
import type { BinderHubEvent } from './binderhub-events.js';

type Listener = (event: BinderHubEvent, id: string) => void;

/** The events of one /build launch, kept so an EventSource reconnect resumes it instead of launching again. */
export class LaunchRecord {
  readonly events: BinderHubEvent[] = [];
  private readonly listeners = new Set<Listener>();
  done = false;

  constructor(readonly id: string) {}

  push(event: BinderHubEvent): void {
    this.events.push(event);
    const id = this.eventId(this.events.length - 1);
    this.listeners.forEach((listener) => listener(event, id));
  }

  /** Replays the events after `index` to `listener`, then forwards new ones until unsubscribed. */
  follow(after: number, listener: Listener): () => void {
    for (let index = after + 1; index < this.events.length; index += 1) {
      listener(this.events[index] as BinderHubEvent, this.eventId(index));
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  eventId(index: number): string {
    return `${this.id}.${index}`;
  }
}

export class LaunchRecords {
  private readonly records = new Map<string, LaunchRecord>();

  constructor(private readonly keepMs: number) {}

  create(): LaunchRecord {
    const record = new LaunchRecord(randomBytes(12).toString('base64url'));
    this.records.set(record.id, record);
    return record;
  }

  /** Marks a launch finished; it can still be resumed for `keepMs`. */
  finish(record: LaunchRecord): void {
    record.done = true;
    setTimeout(() => this.records.delete(record.id), this.keepMs).unref();
  }

  /** Finds the launch a `Last-Event-ID` belongs to and the index of the last event the client saw. */
  resume(lastEventId: string): { record: LaunchRecord; seen: number } | undefined {
    const match = /^([\w-]+)\.(\d+)$/.exec(lastEventId);
    const record = match ? this.records.get(match[1] as string) : undefined;
    return record ? { record, seen: Number(match?.[2]) } : undefined;
  }
}
