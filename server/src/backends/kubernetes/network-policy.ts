import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { HttpError } from '../../errors.js';
import { buildNetworkPolicy } from './build-manifests.js';
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

/** The name of an instance's build NetworkPolicy, `binder-cell-builds-<instance id>`, likewise. */
export function buildNetworkPolicyName(instanceId: string): string {
  return objectName('binder-cell-builds-', instanceId, 'subdomain');
}

/** One of an instance's NetworkPolicies, as policyGate keeps it in place. */
interface KeptPolicy {
  /** Who it fences, as messages name it: `session`, `build`. */
  kind: string;
  /** Whose NetworkPolicy a failure names: `the sessions'`. */
  owner: string;
  /** The client of the namespace the policy lives in. */
  client: KubeClient;
  policy(): V1NetworkPolicy;
}

/**
 * A wait for a NetworkPolicy: the first call makes it match the configuration (created, or
 * replaced when it differs; nothing when `networkPolicy.enabled` is false), later ones wait
 * for that; a failure is told to the waiters (HttpError 503, naming the policy) and tried
 * again on the next call. Every replica does it; they all write the same policy.
 */
function policyGate(kept: KeptPolicy, enabled: boolean, logger: Logger): () => Promise<void> {
  const apply = async () => {
    if (!enabled) return;
    const policy = kept.policy();
    const outcome = await kept.client.applyNetworkPolicy(policy);
    logger.info(
      { networkPolicy: policy.metadata?.name, outcome },
      `${kept.kind} network policy in place`,
    );
  };
  let inPlace: Promise<void> | undefined;
  return () => {
    inPlace ??= apply().catch((error: unknown) => {
      inPlace = undefined;
      throw new HttpError(
        503,
        `${kept.owner} NetworkPolicy could not be put in place: ${(error as Error).message}`,
      );
    });
    return inPlace;
  };
}

/** The wait for an instance's session NetworkPolicy, in `client`'s namespace (policyGate). */
export function sessionNetworkPolicyGate(
  client: KubeClient,
  instanceId: string,
  settings: KubernetesSettings,
  logger: Logger,
): () => Promise<void> {
  const { networkPolicy } = settings;
  return policyGate(
    {
      kind: 'session',
      owner: "the sessions'",
      client,
      policy: () =>
        sessionNetworkPolicy({
          name: networkPolicyName(instanceId),
          instanceId,
          port: settings.sessions.port,
          serverNamespace: networkPolicy.serverNamespace ?? ownNamespace() ?? client.namespace,
          settings: networkPolicy,
        }),
    },
    networkPolicy.enabled,
    logger,
  );
}

/**
 * The wait for an instance's build NetworkPolicy, in the build pods' namespace (`client`'s;
 * policyGate).
 */
export function buildNetworkPolicyGate(
  client: KubeClient,
  instanceId: string,
  settings: KubernetesSettings,
  logger: Logger,
): () => Promise<void> {
  const { networkPolicy } = settings;
  return policyGate(
    {
      kind: 'build',
      owner: "the build pods'",
      client,
      policy: () =>
        buildNetworkPolicy({
          name: buildNetworkPolicyName(instanceId),
          instanceId,
          settings: networkPolicy.builds,
          dnsResolvers: networkPolicy.dnsResolvers,
        }),
    },
    networkPolicy.enabled,
    logger,
  );
}
