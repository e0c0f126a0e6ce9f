import { randomBytes } from 'node:crypto';

type Listener<E> = (event: E, id: string) => void;

/**
 * The events of one launch, kept so a client that reconnects with `Last-Event-ID`
 * resumes it instead of launching again. Event ids are `<record id>.<index>`.
 */
export class LaunchRecord<E> {
  readonly events: E[] = [];
  private readonly listeners = new Set<Listener<E>>();
  done = false;

  constructor(readonly id: string) {}

  /** How many clients follow the launch right now. */
  get followers(): number {
    return this.listeners.size;
  }

  push(event: E): void {
    this.events.push(event);
    const id = this.eventId(this.events.length - 1);
    this.listeners.forEach((listener) => listener(event, id));
  }

  /** Replays the events after `index` to `listener`, then forwards new ones until unsubscribed. */
  follow(after: number, listener: Listener<E>): () => void {
    for (let index = after + 1; index < this.events.length; index += 1) {
      listener(this.events[index] as E, this.eventId(index));
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  eventId(index: number): string {
    return `${this.id}.${index}`;
  }
}

/** This run of the server; record ids start with it, so a later run knows an earlier run's ids. */
const SERVER_RUN = randomBytes(6).toString('hex');

/**
 * The launches of this run of the server, by record id (`<run>-<random>`): a client that
 * reconnects after a restart is told its launch was interrupted rather than resuming it.
 */
export class LaunchRecords<E> {
  private readonly records = new Map<string, LaunchRecord<E>>();

  constructor(
    private readonly keepMs: number,
    /** Hex; the id of this run of the server (tests give their own). */
    private readonly run = SERVER_RUN,
  ) {}

  create(): LaunchRecord<E> {
    const record = new LaunchRecord<E>(`${this.run}-${randomBytes(12).toString('base64url')}`);
    this.records.set(record.id, record);
    return record;
  }

  /** Marks a launch finished; it can still be resumed for `keepMs`. */
  finish(record: LaunchRecord<E>): void {
    record.done = true;
    setTimeout(() => this.records.delete(record.id), this.keepMs).unref();
  }

  /** Finds the launch a `Last-Event-ID` belongs to and the index of the last event the client saw. */
  resume(lastEventId: string): { record: LaunchRecord<E>; seen: number } | undefined {
    const match = /^([\w-]+)\.(\d+)$/.exec(lastEventId);
    const record = match ? this.records.get(match[1] as string) : undefined;
    return record ? { record, seen: Number(match?.[2]) } : undefined;
  }

  /**
   * True when `lastEventId` belongs to a launch of an earlier run of the server: that
   * launch, and any build it waited for, was stopped when that run ended.
   */
  fromEarlierRun(lastEventId: string): boolean {
    const match = /^([0-9a-f]+)-[\w-]+\.\d+$/.exec(lastEventId);
    return match !== null && match[1] !== this.run;
  }

  /** True when the client has every event of a finished launch, or the id is unknown. */
  nothingLeft(lastEventId: string): boolean {
    const found = this.resume(lastEventId);
    return !found || (found.record.done && found.seen >= found.record.events.length - 1);
  }
}
