import { gitForm, gitHubForm, gitLabForm, looksLikeUrl } from './spec-forms.js';
import { ProtocolError } from './validate.js';

/**
 * Repository specs, `<provider>/<spec>`, with BinderHub's grammar (jupyterhub/binderhub's
 * repo providers): `gh/<owner>/<repo>/<ref>`, `gl/<url-escaped namespace>/<ref>`,
 * `git/<url-escaped clone URL>/<ref>`, and binder-cell's own `local/<name>`.
 */
export const REPO_PROVIDERS = ['gh', 'gl', 'git', 'local'] as const;

export type RepoProviderName = (typeof REPO_PROVIDERS)[number];

/** A parsed spec; `ref` is undefined when the spec names none (its decoded text otherwise). */
export type RepoSpec =
  | { provider: 'gh'; owner: string; name: string; ref: string | undefined }
  | { provider: 'gl'; namespace: string; ref: string | undefined }
  | { provider: 'git'; url: string; ref: string | undefined }
  | { provider: 'local'; name: string };

/** A spec that does not follow the grammar; the message says which part is wrong. */
export class SpecError extends ProtocolError {
  override name = 'SpecError';
}

/** Names of `local/<name>` repositories: one path segment of letters, digits, `.`, `_`, `-`. */
export const LOCAL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

// GitHub's own limits on owner and repository names.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const GITLAB_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

// Characters git forbids in ref names (git check-ref-format), plus whitespace and controls.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_REF_CHARS = /[\u0000-\u0020\u007f~^:?*[\\]/;

/**
 * Parses `<provider>/<spec>` (trailing slashes ignored). Throws SpecError for an unknown
 * provider, an empty spec, a malformed escape, or a part its provider does not allow.
 */
export function parseRepoSpec(text: string): RepoSpec {
  const slash = text.indexOf('/');
  const provider = slash === -1 ? text : text.slice(0, slash);
  if (!isRepoProvider(provider)) {
    throw new SpecError(
      `unknown repository provider "${provider}": use one of ${REPO_PROVIDERS.join(', ')}`,
    );
  }
  const spec = slash === -1 ? '' : text.slice(slash + 1).replace(/\/+$/, '');
  if (spec === '') throw new SpecError(`the spec after "${provider}/" is empty`);
  switch (provider) {
    case 'gh':
      return parseGitHub(spec);
    case 'gl':
      return parseGitLab(spec);
    case 'git':
      return parseGit(spec);
    case 'local':
      return { provider, name: checkLocalName(spec) };
  }
}

/** The text of a spec: the inverse of parseRepoSpec (escaping what the grammar escapes). */
export function formatRepoSpec(spec: RepoSpec): string {
  const withRef = (head: string, ref: string | undefined, escape: boolean) =>
    ref === undefined ? head : `${head}/${escape ? encodeURIComponent(ref) : ref}`;
  switch (spec.provider) {
    case 'gh':
      return withRef(`gh/${spec.owner}/${spec.name}`, spec.ref, false);
    case 'gl':
      return withRef(`gl/${encodeURIComponent(spec.namespace)}`, spec.ref, true);
    case 'git':
      return withRef(`git/${encodeURIComponent(spec.url)}`, spec.ref, true);
    case 'local':
      return `local/${spec.name}`;
  }
}

/** Path segments before the ref, for providers whose specs end in one (BinderHub's gist too). */
const SEGMENTS_BEFORE_REF: Readonly<Record<string, number>> = { gh: 2, gist: 2, gl: 1, git: 1 };

/**
 * A spec with `ref` added when the spec names none and its provider takes refs; any other
 * spec (a ref already there, `local/`, BinderHub's DOI providers) comes back as it was.
 */
export function specWithRef(text: string, ref: string): string {
  const [provider = '', ...rest] = text.replace(/\/+$/, '').split('/');
  const before = SEGMENTS_BEFORE_REF[provider];
  if (before === undefined || rest.length > before) return text;
  const escaped = provider === 'gh' || provider === 'gist' ? ref : encodeURIComponent(ref);
  return `${text.replace(/\/+$/, '')}/${escaped}`;
}

/** Checks a branch, tag or commit the way `git check-ref-format` would, and refuses option-like refs. */
export function checkRef(ref: string): string {
  const problem = refProblem(ref);
  if (problem) throw new SpecError(`invalid ref ${JSON.stringify(ref)}: ${problem}`);
  return ref;
}

export function checkLocalName(name: string): string {
  if (!LOCAL_NAME_PATTERN.test(name) || name.includes('..')) {
    throw new SpecError(
      `invalid local repository name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`,
    );
  }
  return name;
}

function isRepoProvider(name: string): name is RepoProviderName {
  return (REPO_PROVIDERS as readonly string[]).includes(name);
}

function parseGitHub(spec: string): RepoSpec {
  const [owner = '', rawName = '', ...rest] = spec.split('/');
  const name = rawName.replace(/\.git$/, '');
  const decoded = decodeOrKeep(spec);
  if (looksLikeUrl(decoded)) {
    throw new SpecError(
      `gh/ takes a GitHub owner and repository name, not a URL: write ${gitHubForm(decoded)}`,
    );
  }
  if (!GITHUB_OWNER.test(owner)) {
    throw new SpecError(
      `invalid GitHub owner ${JSON.stringify(owner)} (letters, digits and "-"): write gh/<owner>/<repo>/<ref>`,
    );
  }
  if (rawName === '') {
    throw new SpecError(
      `"gh/${spec}" names no repository: write gh/<owner>/<repo>/<ref>, e.g. gh/${owner}/<repo>/HEAD`,
    );
  }
  if (!GITHUB_NAME.test(name) || name === '.' || name === '..') {
    throw new SpecError(
      `invalid GitHub repository name ${JSON.stringify(rawName)} (letters, digits, ".", "_" and "-")`,
    );
  }
  return { provider: 'gh', owner, name, ref: optionalRef(rest.join('/')) };
}

function parseGitLab(spec: string): RepoSpec {
  const [rawNamespace, rawRef] = splitFirst(spec);
  const namespace = decodePart(rawNamespace, 'GitLab namespace').replace(/\.git$/, '');
  const decoded = decodeOrKeep(spec);
  if (looksLikeUrl(decoded)) {
    throw new SpecError(
      `gl/ takes a GitLab project's URL-escaped namespace, not its URL: write ${gitLabForm(decoded)}`,
    );
  }
  const segments = namespace.split('/');
  if (segments.length < 2 && rawRef !== '') {
    throw new SpecError(
      `the GitLab namespace must be URL-escaped as one part ("/" as %2F): write ${gitLabForm(decoded)}`,
    );
  }
  if (segments.length < 2 || !segments.every((segment) => GITLAB_SEGMENT.test(segment))) {
    throw new SpecError(
      `invalid GitLab namespace ${JSON.stringify(namespace)}: write gl/<group>%2F<project>/<ref>, e.g. gl/group%2Fproject/HEAD`,
    );
  }
  return { provider: 'gl', namespace, ref: optionalRef(rawRef) };
}

function parseGit(spec: string): RepoSpec {
  const [rawUrl, rawRef] = splitFirst(spec);
  const url = decodePart(rawUrl, 'repository URL');
  // A scheme with nothing after it: the URL's own "/" were left unescaped and split it.
  if (/^[a-z][a-z0-9+.-]*:\/?$/i.test(url)) {
    throw new SpecError(
      `the repository URL must be URL-escaped as one part ("/" as %2F, ":" as %3A), followed by "/" and the ref: write ${gitForm(decodeOrKeep(spec))}`,
    );
  }
  // Which schemes a server accepts is its own policy; the grammar only needs one.
  if (!looksLikeUrl(url)) {
    throw new SpecError(
      `${JSON.stringify(url)} is not a clone URL: write git/<URL-escaped clone URL>/<ref>, e.g. git/${encodeURIComponent('https://example.org/repo.git')}/HEAD`,
    );
  }
  return { provider: 'git', url, ref: optionalRef(rawRef) };
}

function splitFirst(spec: string): [string, string] {
  const slash = spec.indexOf('/');
  return slash === -1 ? [spec, ''] : [spec.slice(0, slash), spec.slice(slash + 1)];
}

function optionalRef(raw: string): string | undefined {
  return raw === '' ? undefined : checkRef(decodePart(raw, 'ref'));
}

/** The spec percent-decoded for the suggestions of error messages, or as it is when it cannot be. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Percent-decodes one spec part, turning a malformed escape into a SpecError. */
function decodePart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SpecError(`${what} is not correctly URL-escaped: ${JSON.stringify(text)}`);
  }
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
