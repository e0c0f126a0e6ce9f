import type { BuiltImage, ListedSession, SessionDescription } from '../types.js';

/** Labels binder-cell puts on its images and containers; a restarted server reads them back. */
export const LABELS = {
  builderVersion: 'org.binder-cell.builder-version',
  environmentKey: 'org.binder-cell.environment-key',
  buildpack: 'org.binder-cell.buildpack',
  repo: 'org.binder-cell.repo',
  ref: 'org.binder-cell.ref',
  kernels: 'org.binder-cell.kernels',
  /** The start script's absolute path in the image; it wraps the session's command. */
  start: 'org.binder-cell.start',
  /** The instance of the server that started a session: it adopts, culls and removes only its own. */
  instance: 'org.binder-cell.instance',
  session: 'org.binder-cell.session',
  repoUrl: 'org.binder-cell.repo-url',
  refUrl: 'org.binder-cell.ref-url',
  kernel: 'org.binder-cell.kernel',
  image: 'org.binder-cell.image',
  tokenHash: 'org.binder-cell.token-hash',
  created: 'org.binder-cell.created',
  expires: 'org.binder-cell.expires',
  /** A warm pool's key, on sessions a pool started. */
  pool: 'org.binder-cell.pool',
} as const;

/** Everything a server needs to adopt a session again, as container labels. */
export function sessionLabels(
  instanceId: string,
  session: SessionDescription,
  image: string,
  expiresAt: number,
): Record<string, string> {
  return {
    [LABELS.instance]: instanceId,
    [LABELS.session]: session.id,
    [LABELS.tokenHash]: session.tokenHash,
    [LABELS.kernel]: session.kernel,
    [LABELS.repo]: session.repo,
    [LABELS.ref]: session.ref,
    [LABELS.repoUrl]: session.repoUrl,
    [LABELS.refUrl]: session.refUrl,
    [LABELS.image]: image,
    [LABELS.created]: String(session.createdAt),
    [LABELS.expires]: String(expiresAt),
    ...(session.pool !== undefined ? { [LABELS.pool]: session.pool } : {}),
  };
}

/** A session container read back from its labels (missing labels read as empty or 0). */
export function listedFromLabels(
  labels: Record<string, string>,
  image: BuiltImage,
  running: boolean,
): ListedSession {
  const label = (name: string) => labels[name] ?? '';
  return {
    session: {
      id: label(LABELS.session),
      tokenHash: label(LABELS.tokenHash),
      kernel: label(LABELS.kernel),
      repo: label(LABELS.repo),
      ref: label(LABELS.ref),
      repoUrl: label(LABELS.repoUrl),
      refUrl: label(LABELS.refUrl),
      createdAt: Number(label(LABELS.created)),
      ...(labels[LABELS.pool] !== undefined ? { pool: labels[LABELS.pool] } : {}),
    },
    image,
    expiresAt: Number(label(LABELS.expires)),
    running,
  };
}
