/**
 * The correctly written spec for what a person most likely meant, used in the messages of
 * specs that do not follow the grammar: a clone URL or GitLab namespace whose "/" were left
 * unescaped, a web URL where an owner or namespace belongs.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Whether `text` (decoded) starts like a URL: a scheme, or GitHub's or GitLab's host name. */
export function looksLikeUrl(text: string): boolean {
  return SCHEME.test(text) || /^(www\.)?(github|gitlab)\.[\w.-]+\//i.test(text);
}

/**
 * Splits a decoded `<url>/<ref>` whose slashes are not escaped, taking the last path
 * segment as the ref when the URL has a path of its own before it.
 */
function splitUrlAndRef(text: string): { url: string; ref: string | undefined } {
  const afterHost = text.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '').split('/');
  // host/path/ref: at least a host and one path segment before the ref.
  if (afterHost.length >= 3 && !text.endsWith('.git')) {
    const slash = text.lastIndexOf('/');
    return { url: text.slice(0, slash), ref: text.slice(slash + 1) };
  }
  return { url: text, ref: undefined };
}

const withRef = (head: string, ref: string | undefined) =>
  `${head}/${ref === undefined ? 'HEAD' : encodeURIComponent(ref)}`;

/** `git/<escaped url>/<ref>` for a decoded `<url>/<ref>` written without escaping its "/". */
export function gitForm(decoded: string): string {
  const { url, ref } = splitUrlAndRef(decoded);
  return withRef(`git/${encodeURIComponent(url)}`, ref);
}

/** The path segments of a web URL after its host: `https://github.com/a/b/tree/x` gives a, b, tree, x. */
function pathAfterHost(decoded: string): string[] {
  return decoded
    .replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')
    .split('/')
    .slice(1)
    .filter((segment) => segment !== '');
}

/**
 * The ref a repository web page shows, from the path segments after the repository (and
 * after GitLab's "-"): the branch, tag or commit of `tree/<ref>/…`, `blob/<ref>/<file>`,
 * `commit/<sha>`, `releases/tag/<tag>` (GitLab's `tags/<tag>`, `releases/<tag>`), the head of
 * `pull/<n>` (GitLab's `merge_requests/<n>`); undefined for pages that show no ref. A ref that
 * contains "/" cannot be told from the file path after it: the first segment is taken.
 */
function refOfWebPage(page: readonly string[]): string | undefined {
  const [kind, first, second] = page;
  switch (kind) {
    case 'tree':
    case 'blob':
    case 'blame':
    case 'raw':
    case 'commit':
    case 'commits':
    case 'tags':
      return first;
    case 'releases':
      return first === 'tag' ? second : first;
    case 'pull':
      return first === undefined ? undefined : `refs/pull/${first}/head`;
    case 'merge_requests':
      return first === undefined ? undefined : `refs/merge-requests/${first}/head`;
    default:
      return undefined;
  }
}

// GitHub pages of a repository that show no ref (github.com/<owner>/<repo>/<page>).
const GITHUB_PAGES = new Set(['issues', 'pulls', 'actions', 'wiki', 'discussions', 'security']);

/** `gh/<owner>/<repo>/<ref>` for a GitHub web or clone URL (HEAD when the page shows no ref). */
export function gitHubForm(decoded: string): string {
  const [owner = '<owner>', repo = '<repo>', ...page] = pathAfterHost(decoded);
  // One segment that names no page is a ref written after the URL: github.com/<owner>/<repo>/<ref>.
  const ref = page.length === 1 && !GITHUB_PAGES.has(page[0] ?? '') ? page[0] : refOfWebPage(page);
  return `gh/${owner}/${repo.replace(/\.git$/, '')}/${ref ?? 'HEAD'}`;
}

/** `gl/<escaped namespace>/<ref>` for a GitLab URL, or for a namespace whose "/" are not escaped. */
export function gitLabForm(decoded: string): string {
  const segments = looksLikeUrl(decoded) ? pathAfterHost(decoded) : decoded.split('/');
  // GitLab's pages of a project are <namespace>/-/<page>, e.g. <namespace>/-/tree/<ref>.
  const dash = segments.indexOf('-');
  if (dash !== -1) {
    const ref = refOfWebPage(segments.slice(dash + 1));
    return withRef(`gl/${encodeURIComponent(segments.slice(0, dash).join('/'))}`, ref);
  }
  if (segments.length <= 2)
    return withRef(`gl/${encodeURIComponent(segments.join('/'))}`, undefined);
  const ref = segments.at(-1);
  return withRef(`gl/${encodeURIComponent(segments.slice(0, -1).join('/'))}`, ref);
}
