/** What a cell needs to find its session: which server, repository, ref and kernel. */
export interface SessionSettings {
  /** Base URL of the binder-cell launch API. */
  server: string;
  /** `<provider>/<spec>`, e.g. `local/quickstart` or `git/<escaped url>/<ref>`. */
  repo: string;
  ref?: string;
  kernel: string;
}

export const DEFAULT_KERNEL = 'python3';

/** The server the SDK was loaded from (`<server>/sdk/binder-cell.js`). */
export function defaultServer(): string {
  return new URL('../', import.meta.url).href;
}

export type SettingsResult =
  { ok: true; settings: SessionSettings } | { ok: false; problem: string };

/**
 * Reads a cell's settings: its own attributes first, then the page's `<binder-config>`,
 * then defaults.
 */
export function resolveSettings(cell: Element): SettingsResult {
  const config = cell.ownerDocument.querySelector('binder-config');
  const read = (name: string) => cell.getAttribute(name) ?? config?.getAttribute(name) ?? undefined;
  const repo = read('repo');
  if (!repo) {
    return {
      ok: false,
      problem: 'This cell has no repository to run in: set repo on <binder-config> or on the cell.',
    };
  }
  const ref = read('ref');
  return {
    ok: true,
    settings: {
      server: read('server') ?? defaultServer(),
      repo,
      ...(ref ? { ref } : {}),
      kernel: read('kernel') ?? DEFAULT_KERNEL,
    },
  };
}

/** Cells whose settings have the same key share one session and one kernel. */
export function sessionKey(settings: SessionSettings): string {
  return JSON.stringify([settings.server, settings.repo, settings.ref ?? '', settings.kernel]);
}
