/** Labels binder-cell puts on its images and containers; a restarted server reads them back. */
export const LABELS = {
  builderVersion: 'org.binder-cell.builder-version',
  environmentKey: 'org.binder-cell.environment-key',
  buildpack: 'org.binder-cell.buildpack',
  repo: 'org.binder-cell.repo',
  ref: 'org.binder-cell.ref',
  kernels: 'org.binder-cell.kernels',
  start: 'org.binder-cell.start',
  session: 'org.binder-cell.session',
  repoUrl: 'org.binder-cell.repo-url',
  refUrl: 'org.binder-cell.ref-url',
  kernel: 'org.binder-cell.kernel',
  image: 'org.binder-cell.image',
  tokenHash: 'org.binder-cell.token-hash',
  created: 'org.binder-cell.created',
  expires: 'org.binder-cell.expires',
} as const;
