import type { Logger } from 'pino';
import { HttpError } from '../../errors.js';
import { buildNetworkPolicy } from './build-manifests.js';
import type { KubeClient } from './client.js';
import type { KubernetesSettings } from './config.js';
import { objectName } from './names.js';

/**
 * The name of an instance's build NetworkPolicy: `binder-cell-builds-<instance id>`, with a
 * hash of the id in place of what a name may not hold (capitals, `_`, `._`), as the session
 * policy's (network-policy.ts), so two instances in one namespace never share a policy.
 */
export function buildNetworkPolicyName(instanceId: string): string {
  return objectName('binder-cell-builds-', instanceId, 'subdomain');
}

/**
 * Makes the instance's build NetworkPolicy match the configuration (created, or replaced
 * when it differs), in the build pods' namespace (`client`'s), unless
 * `networkPolicy.enabled` is false. Every replica does it before its first build; they
 * all write the same policy.
 */
export async function ensureBuildNetworkPolicy(
  client: KubeClient,
  instanceId: string,
  settings: KubernetesSettings,
  logger: Logger,
): Promise<void> {
  if (!settings.networkPolicy.enabled) return;
  const name = buildNetworkPolicyName(instanceId);
  const outcome = await client.applyNetworkPolicy(
    buildNetworkPolicy({
      name,
      instanceId,
      settings: settings.networkPolicy.builds,
      dnsResolvers: settings.networkPolicy.dnsResolvers,
    }),
  );
  logger.info({ networkPolicy: name, outcome }, 'build network policy in place');
}

/**
 * A wait for the build NetworkPolicy: the first call puts it in place, later ones wait for
 * that; a failure is told to the waiters (HttpError 503, naming the policy) and tried again
 * on the next call.
 */
export function buildNetworkPolicyGate(
  client: KubeClient,
  instanceId: string,
  settings: KubernetesSettings,
  logger: Logger,
): () => Promise<void> {
  let inPlace: Promise<void> | undefined;
  return () => {
    inPlace ??= ensureBuildNetworkPolicy(client, instanceId, settings, logger).catch(
      (error: unknown) => {
        inPlace = undefined;
        throw new HttpError(
          503,
          `the build pods' NetworkPolicy could not be put in place: ${(error as Error).message}`,
        );
      },
    );
    return inPlace;
  };
}
