/** The package indexes pip installs from; pip's default (PyPI) when none is set. */
export interface PipSources {
  pipIndexUrl?: string;
  pipExtraIndexUrls: readonly string[];
  /** pip's retries per index request (config `packages.pipRetries`). */
  pipRetries: number;
}

/**
 * `pip install` and the options every backend's builds give it: no progress bars, the
 * configured retries and indexes, and (in images, where a cache is dead weight) no cache.
 */
export function pipInstallArgs(sources: PipSources, { noCache = false } = {}): string[] {
  return [
    'install',
    ...(noCache ? ['--no-cache-dir'] : []),
    '--progress-bar',
    'off',
    '--retries',
    String(sources.pipRetries),
    ...(sources.pipIndexUrl ? ['--index-url', sources.pipIndexUrl] : []),
    ...sources.pipExtraIndexUrls.flatMap((url) => ['--extra-index-url', url]),
  ];
}
