/** Which kind of server a session comes from. */
export type ServerKind = 'binder-cell' | 'binderhub' | 'jupyter';

/** What a cell needs to find its session. */
export interface SessionSettings {
  /** Name of the group of cells sharing the session (`session` attribute); `` by default. */
  name: string;
  /** Servers to try, in order (a federation); the first healthy one launches. */
  servers: string[];
  kind: ServerKind;
  /** `<provider>/<spec>`, e.g. `gh/org/repo/main`; not used by plain Jupyter servers. */
  repo?: string;
  ref?: string;
  kernel: string;
  /**
   * The kernel's working directory relative to the repository (`path` attribute, Jupyter's
   * kernel `path`), normalised by {@link kernelPath}; `` for the repository's root.
   */
  path: string;
  /** Token of a plain Jupyter server. */
  token?: string;
  /** `run`: launch on the first Run (default); `eager`: as soon as the page loads. */
  launch: 'run' | 'eager';
  /** Seconds a launched session may be reused by later page loads (0: never). */
  reuse: number;
  /** Run `application/javascript` outputs (only when the page opts in). */
  allowJavascript: boolean;
  /** Where third-party widget modules load from; `{name}` and `{version}` are replaced. */
  widgetsUrl: string;
  /** The code editor loads on first focus (`lazy`), at once (`eager`), or never (`off`). */
  editor: 'lazy' | 'eager' | 'off';
}

export const DEFAULT_KERNEL = 'python3';
export const DEFAULT_REUSE_SECONDS = 3600;
export const DEFAULT_WIDGETS_URL = 'https://cdn.jsdelivr.net/npm/{name}@{version}/dist/index.js';
const KINDS: readonly ServerKind[] = ['binder-cell', 'binderhub', 'jupyter'];

/** The server the SDK was loaded from (`<server>/sdk/binder-cell.js`). */
export function defaultServer(): string {
  return new URL('../', import.meta.url).href;
}

export type SettingsResult =
  { ok: true; settings: SessionSettings } | { ok: false; problem: string };

/** The `<binder-config>` of a session group (`session` attribute; none for the default group). */
export function configFor(document: Document, name: string): Element | undefined {
  return [...document.querySelectorAll('binder-config')].find(
    (config) => (config.getAttribute('session') ?? '') === name,
  );
}

/**
 * Reads an element's settings: its own attributes first, then its session group's
 * `<binder-config>`, then defaults.
 */
export function resolveSettings(element: Element): SettingsResult {
  const name = element.getAttribute('session') ?? '';
  const config = configFor(element.ownerDocument, name);
  const read = (attribute: string) =>
    element.getAttribute(attribute) ?? config?.getAttribute(attribute) ?? undefined;
  const kind = (read('kind') ?? 'binder-cell') as ServerKind;
  if (!KINDS.includes(kind)) {
    return {
      ok: false,
      problem: `Unknown server kind "${kind}": use binder-cell, binderhub or jupyter.`,
    };
  }
  const repo = read('repo');
  if (!repo && kind !== 'jupyter') {
    return {
      ok: false,
      problem: 'This cell has no repository to run in: set repo on <binder-config> or on the cell.',
    };
  }
  const servers = (read('server') ?? defaultServer()).split(/\s+/).filter(Boolean);
  const reuse = Number(read('reuse') ?? DEFAULT_REUSE_SECONDS);
  const ref = read('ref');
  const token = read('token');
  return {
    ok: true,
    settings: {
      name,
      servers,
      kind,
      ...(repo ? { repo } : {}),
      ...(ref ? { ref } : {}),
      kernel: read('kernel') ?? DEFAULT_KERNEL,
      path: kernelPath(read('path')),
      ...(token ? { token } : {}),
      launch: read('launch') === 'eager' ? 'eager' : 'run',
      reuse: Number.isFinite(reuse) && reuse >= 0 ? reuse : DEFAULT_REUSE_SECONDS,
      allowJavascript:
        read('allow-javascript') !== undefined && read('allow-javascript') !== 'false',
      widgetsUrl: read('widgets-url') ?? DEFAULT_WIDGETS_URL,
      editor: editorMode(read('editor')),
    },
  };
}

function editorMode(value: string | undefined): SessionSettings['editor'] {
  return value === 'eager' || value === 'off' ? value : 'lazy';
}

/**
 * A kernel path as the session's Jupyter server reads it: `/`-separated and relative to
 * the repository, without `.` segments or a leading `/`. One that climbs out of the
 * repository (`../data`) falls back to the root, as the binder-cell session server does
 * whatever a client sends; the server also takes a notebook's path to mean its folder.
 */
export function kernelPath(path: string | undefined): string {
  const segments: string[] = [];
  for (const segment of (path ?? '').split('/')) {
    if (segment === '..') {
      if (segments.pop() === undefined) return '';
    } else if (segment !== '' && segment !== '.') {
      segments.push(segment);
    }
  }
  return segments.join('/');
}

/**
 * Cells whose settings have the same key share one session and one kernel; cells with
 * another working directory get a kernel (and a session) of their own.
 */
export function sessionKey(settings: SessionSettings): string {
  return JSON.stringify([
    settings.name,
    settings.servers,
    settings.kind,
    settings.repo ?? '',
    settings.ref ?? '',
    settings.kernel,
    settings.path,
    settings.token ?? '',
  ]);
}
