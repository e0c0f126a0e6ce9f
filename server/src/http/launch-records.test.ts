import { describe, expect, it } from 'vitest';
import { LaunchRecords } from './launch-records.js';

describe('LaunchRecords', () => {
  it('replays what a reconnecting client missed, then follows live', () => {
    const records = new LaunchRecords<{ phase: string }>(60_000);
    const record = records.create();
    record.push({ phase: 'waiting' });
    record.push({ phase: 'fetching' });
    const found = records.resume(record.eventId(0));
    expect(found?.seen).toBe(0);
    const received: string[] = [];
    const stop = found?.record.follow(found.seen, (event, id) =>
      received.push(`${id}:${String(event.phase)}`),
    );
    record.push({ phase: 'ready' });
    stop?.();
    record.push({ phase: 'late' });
    expect(received).toEqual([`${record.id}.1:fetching`, `${record.id}.2:ready`]);
  });

  it('does not know ids it never issued', () => {
    const records = new LaunchRecords<{ phase: string }>(60_000);
    expect(records.resume('nope.1')).toBeUndefined();
    expect(records.resume('garbage')).toBeUndefined();
  });

  it('tells ids of an earlier run of the server from its own and from garbage', () => {
    const earlier = new LaunchRecords<{ phase: string }>(60_000, 'aaaa').create();
    const records = new LaunchRecords<{ phase: string }>(60_000, 'bbbb');
    const own = records.create();
    expect(records.fromEarlierRun(earlier.eventId(3))).toBe(true);
    expect(records.fromEarlierRun(own.eventId(0))).toBe(false);
    expect(records.fromEarlierRun('garbage')).toBe(false);
    expect(records.resume(earlier.eventId(3))).toBeUndefined();
  });
});
