import { ProtocolError, assertObject, assertOptionalString, assertString } from './validate.js';

/** Body of `POST /api/v1/launch`: a repository to build and run. */
export interface RepoLaunchRequest {
  /** `<provider>/<spec>`, e.g. `gh/org/repo/main`, `git/<escaped url>/<ref>` or `local/quickstart`. */
  repo: string;
  /** Branch, tag or commit; for providers whose spec can also end in a ref, give it only once. */
  ref?: string;
  /** Kernel name; the server's default (`python3`) when absent. */
  kernel?: string;
  /**
   * A token that can read the repository (a private one). It is used for this fetch only
   * and never stored, logged or put into an image.
   */
  repoToken?: string;
}

/** Body of `POST /api/v1/launch`: an image the server's operator allows, run without a build. */
export interface ImageLaunchRequest {
  /** Image name, matching one of the operator's `docker.allowedImages` globs. */
  image: string;
  /** Kernel name; the server's default (`python3`) when absent. */
  kernel?: string;
}

export type LaunchRequest = RepoLaunchRequest | ImageLaunchRequest;

export function isImageLaunch(request: LaunchRequest): request is ImageLaunchRequest {
  return 'image' in request;
}

const REPO_KEYS = new Set(['repo', 'ref', 'kernel', 'repoToken']);
const IMAGE_KEYS = new Set(['image', 'kernel']);

export function assertLaunchRequest(value: unknown): asserts value is LaunchRequest {
  assertObject(value, 'launch request');
  if ('image' in value && 'repo' in value) {
    throw new ProtocolError('launch request must have either repo or image, not both');
  }
  const known = 'image' in value ? IMAGE_KEYS : REPO_KEYS;
  assertString(value, 'image' in value ? 'image' : 'repo', 'launch request');
  for (const key of known) assertOptionalString(value, key, 'launch request');
  const unknown = Object.keys(value).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new ProtocolError(`launch request has unknown fields: ${unknown.join(', ')}`);
  }
}
