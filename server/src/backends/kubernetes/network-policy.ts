import type { Logger } from 'pino';
import { ownNamespace } from './client.js';
import type { KubeClient } from './client.js';
import type { KubernetesSettings } from './config.js';
import { sessionNetworkPolicy } from './manifests.js';
import { objectName } from './names.js';

/**
 * The name of an instance's session NetworkPolicy: `binder-cell-sessions-<instance id>`,
 * with a hash of the id in place of what a name may not hold (capitals, `_`), so two
 * instances in one namespace never share a policy.
 */
export function networkPolicyName(instanceId: string): string {
  return objectName('binder-cell-sessions-', instanceId, 'subdomain');
}

/**
 * Makes the instance's session NetworkPolicy match the configuration (created, or replaced
 * when it differs), unless `networkPolicy.enabled` is false. Every replica does it on start;
 * they all write the same policy.
 */
export async function ensureNetworkPolicy(
  client: KubeClient,
  instanceId: string,
  settings: KubernetesSettings,
  logger: Logger,
): Promise<void> {
  if (!settings.networkPolicy.enabled) return;
  const name = networkPolicyName(instanceId);
  const outcome = await client.applyNetworkPolicy(
    sessionNetworkPolicy({
      name,
      instanceId,
      port: settings.sessions.port,
      serverNamespace: settings.networkPolicy.serverNamespace ?? ownNamespace() ?? client.namespace,
      settings: settings.networkPolicy,
    }),
  );
  logger.info({ networkPolicy: name, outcome }, 'session network policy in place');
}
