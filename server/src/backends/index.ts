import { createDockerBackend } from './docker/index.js';
import { createKubernetesBackend } from './kubernetes/index.js';
import { createLocalBackend } from './local/index.js';
import type { Backend, BackendContext } from './types.js';

/** Every backend, by the name config `backend` gives it. A new backend is one line here. */
const BACKENDS = {
  local: createLocalBackend,
  docker: createDockerBackend,
  kubernetes: createKubernetesBackend,
} satisfies Record<string, (context: BackendContext) => Backend>;

export type BackendName = keyof typeof BACKENDS;

export const BACKEND_NAMES = Object.keys(BACKENDS) as [BackendName, ...BackendName[]];

/** The backend the configuration names. */
export function createBackend(context: BackendContext): Backend {
  return BACKENDS[context.config.backend](context);
}
