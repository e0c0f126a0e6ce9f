import { LaunchError, answersOk } from './types.js';
import type { ServerClient } from './types.js';

/** A Jupyter server that is already running, given its base URL and token. */
export const jupyterServer: ServerClient = {
  healthy: (server, settings, signal) =>
    answersOk(new URL('api/status', server), {
      headers: settings.token ? { authorization: `token ${settings.token}` } : {},
      signal,
    }),

  async connect(server, settings, _onProgress, signal) {
    const url = server.endsWith('/') ? server : `${server}/`;
    const token = settings.token ?? '';
    const ok = await this.healthy(url, settings, signal ?? new AbortController().signal);
    if (!ok) {
      throw new LaunchError(
        0,
        `The Jupyter server at ${url} does not answer (check its URL and token).`,
      );
    }
    return { server: url, url, wsUrl: `ws${url.slice(4)}`, token, kernel: settings.kernel };
  },
  // The page's author runs this server; a page never stops it.
  end: () => Promise.resolve(),
};
