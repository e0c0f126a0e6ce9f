import type { KernelServerAddress } from '../backends/shared/kernel-server-client.js';

interface KernelModel {
  id: string;
  name: string;
}

function call(
  server: KernelServerAddress,
  path: string,
  signal: AbortSignal,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(new URL(path, server.url), {
    ...init,
    headers: { authorization: `token ${server.token}`, 'content-type': 'application/json' },
    signal,
  });
}

/**
 * Starts a kernel named `name` in the kernel server's root (jupyter_server's
 * `POST api/kernels`) and returns its id; throws when the server does not answer 201/200.
 */
export async function startPoolKernel(
  server: KernelServerAddress,
  name: string,
  signal: AbortSignal,
): Promise<string> {
  const response = await call(server, 'api/kernels', signal, {
    method: 'POST',
    body: JSON.stringify({ name }),
  });
  if (!response.ok)
    throw new Error(`the kernel server answered ${response.status} to a kernel start`);
  return ((await response.json()) as KernelModel).id;
}

/** A running kernel named `name` on the server (one a pool started before a restart). */
export async function findPoolKernel(
  server: KernelServerAddress,
  name: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const response = await call(server, 'api/kernels', signal);
  if (!response.ok) return undefined;
  const kernels = (await response.json()) as KernelModel[];
  return kernels.find((kernel) => kernel.name === name)?.id;
}
