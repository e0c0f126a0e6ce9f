import { SpecError } from '@binder-cell/launch-protocol';
import { badRequest, forbidden } from '../errors.js';

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;

export function isFullCommit(ref: string): boolean {
  return FULL_COMMIT.test(ref);
}

export interface GitUrlPolicy {
  allowFileUrls: boolean;
}

/** Accepts http(s) clone URLs (and file:// when allowed); refuses other transports and credentials. */
export function validateGitUrl(raw: string, policy: GitUrlPolicy): URL {
  if (raw.startsWith('-')) {
    throw badRequest(`invalid repository URL ${JSON.stringify(raw)}: it must not start with "-"`);
  }
  if (CONTROL_OR_SPACE.test(raw)) {
    throw badRequest(
      `invalid repository URL ${JSON.stringify(raw)}: it contains spaces or control characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest(
      `invalid repository URL ${JSON.stringify(raw)}: give a full http(s):// clone URL, URL-escaped in the spec`,
    );
  }
  if (url.protocol === 'file:') {
    if (!policy.allowFileUrls) {
      throw forbidden('file:// repositories are disabled on this server (repos.allowFileUrls)');
    }
    if (url.host !== '' || url.search !== '' || url.hash !== '') {
      throw badRequest(`invalid file:// URL ${JSON.stringify(raw)}: use file:///absolute/path`);
    }
    return url;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badRequest(
      `unsupported repository URL scheme "${url.protocol}": use https://, http://` +
        (policy.allowFileUrls ? ' or file://' : ''),
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw badRequest('repository URLs must not carry credentials');
  }
  if (url.hostname === '' || url.hash !== '') {
    throw badRequest(`invalid repository URL ${JSON.stringify(raw)}`);
  }
  return url;
}

/** Runs a check of the spec grammar (launch-protocol), turning its SpecError into a 400. */
export function asBadRequest<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof SpecError) throw badRequest(error.message);
    throw error;
  }
}
