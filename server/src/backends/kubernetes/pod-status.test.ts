import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { endedBecause, evictionOf } from './pod-status.js';

function evicted(message: string): V1Pod {
  return {
    status: {
      phase: 'Failed',
      reason: 'Evicted',
      message,
      containerStatuses: [
        {
          name: 'jupyter',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } },
        },
      ],
    },
  };
}

describe("what a pod's status tells the reader", () => {
  it("names the cause of an eviction, with the kubelet's words, whatever the container's exit code", () => {
    expect(
      endedBecause(
        evicted('Container jupyter exceeded its local ephemeral storage limit "4Gi". '),
        'jupyter',
      ),
    ).toBe(
      'it wrote more to its local disk than its limit allows (sessions.ephemeralStorage.limit) ' +
        '(Evicted: Container jupyter exceeded its local ephemeral storage limit "4Gi".)',
    );
    expect(
      evictionOf(
        evicted(
          'The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. ',
        ),
      ),
    ).toMatch(/^its node ran short of memory \(Evicted: The node was low on resource: memory/);
    expect(evictionOf(evicted(''))).toBe('its node evicted it (Evicted)');
    expect(evictionOf({ status: { phase: 'Failed', reason: 'DeadlineExceeded' } })).toBeUndefined();
  });
});
