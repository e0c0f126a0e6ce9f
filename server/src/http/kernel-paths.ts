/** A request path under `/sessions/<id>/`, split into the session id and the path it asks for. */
export interface SessionPath {
  sessionId: string;
  /** Raw (still escaped) path below the session, without a leading slash. */
  rest: string;
  /** Query string, with the session token removed. */
  search: string;
}

const SESSION_PATH = /^\/sessions\/([0-9a-f-]{36})(?:\/(.*))?$/;

export function parseSessionPath(url: string): SessionPath | undefined {
  const parsed = new URL(url, 'http://internal');
  const match = SESSION_PATH.exec(parsed.pathname);
  if (!match) return undefined;
  parsed.searchParams.delete('token');
  return {
    sessionId: match[1] as string,
    rest: match[2] ?? '',
    search: parsed.searchParams.size > 0 ? `?${parsed.searchParams.toString()}` : '',
  };
}

const KERNEL_API = /^api\/(?:status|kernels|sessions|kernelspecs)(?:\/|$)/;

/**
 * The BokehJS bundles of the session's environment and their index, served by the
 * session's server extension (server/python/binder_cell_jupyter.py) for the SDK's Bokeh
 * renderer.
 */
const BOKEHJS = /^binder-cell\/bokehjs(?:\/bokeh(?:-[a-z]+)?\.min\.js)?$/;

/**
 * Kernel-only access: the kernels, sessions and kernelspecs APIs and `api/status` pass,
 * and so do the session's BokehJS files; files, terminals, contents and everything else
 * do not. Encoded slashes and dot segments are refused so a path cannot climb out of the
 * allowed prefixes.
 */
export function isKernelApiPath(rest: string): boolean {
  if (/%2f|%5c|\\/i.test(rest)) return false;
  const segments = rest.split('/');
  const trailing = segments.at(-1) === '' ? 1 : 0;
  for (const segment of segments.slice(0, segments.length - trailing)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (decoded === '' || decoded === '.' || decoded === '..') return false;
  }
  if (rest.startsWith('api/status')) return rest === 'api/status' || rest === 'api/status/';
  return KERNEL_API.test(rest) || BOKEHJS.test(rest);
}
