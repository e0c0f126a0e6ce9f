import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { disruptionOf, endedBecause, evictionOf } from './pod-status.js';

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

  it("names the setting a build pod's workspace went over, when the kubelet evicted it for that", () => {
    expect(
      evictionOf(
        evicted('Usage of EmptyDir volume "workspace" exceeds the limit "20Gi". '),
        'builder.workspaceSize',
      ),
    ).toBe(
      'it wrote more to its local disk than its limit allows (builder.workspaceSize) ' +
        '(Evicted: Usage of EmptyDir volume "workspace" exceeds the limit "20Gi".)',
    );
  });

  it('tells a pod the cluster took away (deleted, preempted, drained) from one that ended by itself', () => {
    expect(
      disruptionOf({
        status: {
          phase: 'Failed',
          conditions: [
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'PreemptionByScheduler',
              message: 'Preempted in order to admit critical pod',
            },
          ],
        },
      }),
    ).toBe(
      'it was stopped by the cluster (PreemptionByScheduler: Preempted in order to admit critical pod)',
    );
    expect(
      disruptionOf({
        metadata: { deletionTimestamp: new Date() },
        status: { phase: 'Failed' },
      }),
    ).toBe('it was deleted while it ran (a node drain, a preemption or a delete)');
    expect(disruptionOf(evicted(''))).toBeUndefined();
  });
});
