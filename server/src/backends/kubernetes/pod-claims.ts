import type { SessionClaim, SessionClaims, SessionDescription } from '../types.js';
import type { JsonPatchOperation, KubeClient } from './client.js';
import { POD_ANNOTATIONS } from './labels.js';
import { podName } from './session-pods.js';

/** The claim annotation's values: `false` on a free pool member. */
const FREE = 'false';
const CLAIMED = 'true';
const RETIRED = 'retired';

/** The JSON pointer of an annotation (RFC 6901 escapes `/` in its key). */
function annotation(key: string): string {
  return `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

const testFree: JsonPatchOperation = {
  op: 'test',
  path: annotation(POD_ANNOTATIONS.claimed),
  value: FREE,
};

/**
 * Claims on pooled session pods, in their annotations: a JSON patch whose first operation
 * tests that the pod is still free, so of two replicas claiming one pod, one gets it and
 * the other a 422 (and takes another). The claim writes the reader's token hash and time
 * into the pod, where every replica checks them.
 */
export class PodClaims implements SessionClaims {
  constructor(private readonly client: KubeClient) {}

  async claim(session: SessionDescription): Promise<'claimed' | 'taken'> {
    const outcome = await this.client.patchPod(podName(session.id), [
      testFree,
      { op: 'replace', path: annotation(POD_ANNOTATIONS.claimed), value: CLAIMED },
      { op: 'replace', path: annotation(POD_ANNOTATIONS.tokenHash), value: session.tokenHash },
      {
        op: 'replace',
        path: annotation(POD_ANNOTATIONS.created),
        value: String(session.createdAt),
      },
    ]);
    if (outcome === 'gone') throw new Error(`the pod of pooled session ${session.id} is gone`);
    return outcome === 'patched' ? 'claimed' : 'taken';
  }

  async claimOf(sessionId: string): Promise<SessionClaim | undefined> {
    const annotations = (await this.client.readPod(podName(sessionId)))?.metadata?.annotations;
    if (annotations?.[POD_ANNOTATIONS.claimed] !== CLAIMED) return undefined;
    return {
      tokenHash: annotations[POD_ANNOTATIONS.tokenHash] ?? '',
      createdAt: Number(annotations[POD_ANNOTATIONS.created]),
    };
  }

  async retire(sessionId: string): Promise<boolean> {
    const outcome = await this.client.patchPod(podName(sessionId), [
      testFree,
      { op: 'replace', path: annotation(POD_ANNOTATIONS.claimed), value: RETIRED },
    ]);
    return outcome !== 'conflict';
  }
}
