import { LABELS, listedFromLabels, sessionLabels } from '../docker/labels.js';
import type { BuiltImage, ListedSession, SessionDescription } from '../types.js';
import { labelValue } from './names.js';

/**
 * Labels every pod binder-cell makes carries: replicas select pods by them. Values that are
 * not valid label values (repository specs, URLs) go into annotations, under the keys the
 * Docker backend's container labels use (docker/labels.ts).
 */
export const POD_LABELS = {
  name: 'app.kubernetes.io/name',
  component: 'app.kubernetes.io/component',
  instance: LABELS.instance,
  session: LABELS.session,
  /** `true` on sessions a warm pool started (the pool's key is an annotation). */
  pooled: 'org.binder-cell.pooled',
  /** On build pods: a hash of the image they build. */
  build: 'org.binder-cell.build',
} as const;

export const POD_ANNOTATIONS = {
  ...LABELS,
  /**
   * On pooled session pods: `false` until a reader takes the pod, then `true`. A claim is
   * a JSON patch that tests it is still `false`, so two replicas never take one pod.
   */
  claimed: 'org.binder-cell.claimed',
  /** On build pods: the image they build and push. */
  buildImage: 'org.binder-cell.build-image',
} as const;

export type PodComponent = 'session' | 'build';

/** The labels selecting this instance's pods of one kind. */
export function instanceLabels(
  instanceId: string,
  component: PodComponent,
): Record<string, string> {
  return { ...componentLabels(component), [POD_LABELS.instance]: instanceId };
}

/** The labels every binder-cell pod of `component` carries, whichever instance made it. */
export function componentLabels(component: PodComponent): Record<string, string> {
  return { [POD_LABELS.name]: 'binder-cell', [POD_LABELS.component]: component };
}

/** A label selector (`k=v,k2=v2`) from labels. */
export function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Pod metadata of a session: selectable labels, and annotations a replica adopts it from. */
export function sessionPodMetadata(
  instanceId: string,
  session: SessionDescription,
  image: string,
  expiresAt: number,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: {
      ...instanceLabels(instanceId, 'session'),
      [POD_LABELS.session]: labelValue(session.id),
      ...(session.pool !== undefined ? { [POD_LABELS.pooled]: 'true' } : {}),
    },
    annotations: {
      ...sessionLabels(instanceId, session, image, expiresAt),
      ...(session.pool !== undefined ? { [POD_ANNOTATIONS.claimed]: 'false' } : {}),
    },
  };
}

/** A session pod read back from its annotations (the image is the one it runs). */
export function listedFromPod(
  annotations: Record<string, string>,
  image: string,
  running: boolean,
): ListedSession {
  const built: BuiltImage = { id: image, name: annotations[LABELS.image] ?? image };
  return listedFromLabels(annotations, built, running);
}
