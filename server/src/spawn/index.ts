export type { KernelServer, SpawnRequest, Spawner } from './types.js';
export { SpawnError } from './types.js';
export { LocalProcessSpawner } from './local-process.js';
