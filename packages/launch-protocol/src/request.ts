import { ProtocolError, assertObject, assertOptionalString, assertString } from './validate.js';

/** Body of `POST /api/v1/launch`. */
export interface LaunchRequest {
  /** `<provider>/<spec>`, e.g. `git/https%3A%2F%2Fexample.org%2Frepo.git/main` or `local/quickstart`. */
  repo: string;
  /** Branch, tag or commit; for providers whose spec can also end in a ref, give it only once. */
  ref?: string;
  /** Kernel name; the server's default (`python3`) when absent. */
  kernel?: string;
}

const KNOWN_KEYS = new Set(['repo', 'ref', 'kernel']);

export function assertLaunchRequest(value: unknown): asserts value is LaunchRequest {
  assertObject(value, 'launch request');
  assertString(value, 'repo', 'launch request');
  assertOptionalString(value, 'ref', 'launch request');
  assertOptionalString(value, 'kernel', 'launch request');
  const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new ProtocolError(`launch request has unknown fields: ${unknown.join(', ')}`);
  }
}
