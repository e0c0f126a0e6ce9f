import { badRequest, forbidden } from '../errors.js';

/** Names of `local/<name>` repositories and other single path segments we accept. */
export const LOCAL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
// Characters git forbids in ref names (git check-ref-format), plus whitespace and controls.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_REF_CHARS = /[\u0000-\u0020\u007f~^:?*[\\]/;

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;

export function isFullCommit(ref: string): boolean {
  return FULL_COMMIT.test(ref);
}

/** Checks a branch, tag or commit the way `git check-ref-format` would, and refuses option-like refs. */
export function validateRef(ref: string): string {
  const problem = refProblem(ref);
  if (problem) throw badRequest(`invalid ref ${JSON.stringify(ref)}: ${problem}`);
  return ref;
}

function refProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'it is empty';
  if (ref.length > 255) return 'it is longer than 255 characters';
  if (ref.startsWith('-')) return 'it must not start with "-"';
  if (FORBIDDEN_REF_CHARS.test(ref)) return 'it contains a space, control or special character';
  if (ref.includes('..')) return 'it must not contain ".."';
  if (ref.includes('@{') || ref === '@') return 'it must not contain "@{" or be "@"';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) {
    return 'it has an empty path component';
  }
  if (ref.endsWith('.')) return 'it must not end with "."';
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) return 'no path component may start with "."';
    if (part.endsWith('.lock')) return 'no path component may end with ".lock"';
  }
  return undefined;
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

export function validateLocalName(name: string): string {
  if (!LOCAL_NAME_PATTERN.test(name) || name.includes('..')) {
    throw badRequest(
      `invalid local repository name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`,
    );
  }
  return name;
}

/** Percent-decodes one spec component, turning malformed escapes into a 400. */
export function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw badRequest(`${what} is not correctly URL-escaped: ${JSON.stringify(text)}`);
  }
}
