import type { SessionSettings, ServerKind } from '../settings.js';
import { binderCellServer } from './binder-cell.js';
import { binderHubServer } from './binderhub.js';
import { jupyterServer } from './jupyter.js';
import { LaunchError } from './types.js';
import type { Connection, Progress, ServerClient } from './types.js';

const CLIENTS: Record<ServerKind, ServerClient> = {
  'binder-cell': binderCellServer,
  binderhub: binderHubServer,
  jupyter: jupyterServer,
};

const HEALTH_TIMEOUT_MS = 3000;

/**
 * Connects through the first healthy server of the settings' list (checked in parallel,
 * preferred in order), moving on to the next when a launch is refused as over capacity
 * (503) or the server cannot be reached.
 */
export async function connectAny(
  settings: SessionSettings,
  onProgress: (progress: Progress) => void,
  signal?: AbortSignal,
): Promise<Connection> {
  const client = CLIENTS[settings.kind];
  const candidates =
    settings.servers.length > 1 ? await healthyInOrder(client, settings) : settings.servers;
  if (candidates.length === 0) {
    throw new LaunchError(0, `None of the servers answers: ${settings.servers.join(', ')}.`);
  }
  let failure: unknown;
  for (const [index, server] of candidates.entries()) {
    try {
      return await client.connect(server, settings, onProgress, signal);
    } catch (error) {
      failure = error;
      const next = candidates[index + 1];
      const retriable =
        error instanceof LaunchError && (error.status === 503 || error.status === 0);
      if (!retriable || !next) throw error;
      onProgress({ phase: 'waiting', note: `${server} cannot take the session; trying ${next}` });
    }
  }
  throw failure;
}

/** Ends a session launched with `settings` (see `ServerClient.end`). */
export function endSession(settings: SessionSettings, connection: Connection): Promise<void> {
  return CLIENTS[settings.kind].end(connection);
}

async function healthyInOrder(client: ServerClient, settings: SessionSettings): Promise<string[]> {
  const checks = await Promise.all(
    settings.servers.map((server) =>
      client.healthy(server, settings, AbortSignal.timeout(HEALTH_TIMEOUT_MS)),
    ),
  );
  return settings.servers.filter((_, index) => checks[index]);
}
