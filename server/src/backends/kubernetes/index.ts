import picomatch from 'picomatch';
import { forbidden, notFound } from '../../errors.js';
import { JUPYTER_GLUE } from '../shared/glue.js';
import type { Backend, BackendContext, BuiltImage } from '../types.js';
import { BuildPods } from './build-pods.js';
import { KubeClient, loadKubeConfig, namespaceOf } from './client.js';
import { buildNetworkPolicyGate, sessionNetworkPolicyGate } from './network-policy.js';
import { PodClaims } from './pod-claims.js';
import { ImageRegistry } from './registry.js';
import { SessionPods } from './session-pods.js';

/**
 * Build pods that push to a registry, and one pod per session, shared by every replica
 * of the server (same `instanceId`): sessions are found, adopted and ended through the
 * cluster. On start it puts the NetworkPolicies of sessions and builds in place (until
 * both are, /health answers 503 naming the one missing and launches fail before they
 * build) and deletes finished build pods older than `builder.keepFinishedSeconds`.
 */
export function createKubernetesBackend({ config, logger, instanceId }: BackendContext): Backend {
  const settings = config.kubernetes;
  const kubeConfig = loadKubeConfig(settings.kubeconfig);
  const client = new KubeClient(kubeConfig, namespaceOf(settings.namespace), logger);
  const buildClient = settings.builder.namespace
    ? new KubeClient(kubeConfig, settings.builder.namespace, logger)
    : client;
  const registry = new ImageRegistry({
    insecure: settings.registry.insecure,
    authFile: settings.registry.authFile,
  });
  // Builds start only once both NetworkPolicies are in place (a launch whose session could
  // not start fails before it builds), sessions once theirs is; a failure is tried again.
  const buildPolicyInPlace = buildNetworkPolicyGate(buildClient, instanceId, settings, logger);
  const policyInPlace = sessionNetworkPolicyGate(client, instanceId, settings, logger);
  void buildPolicyInPlace().catch((error: unknown) =>
    logger.error({ err: error }, 'build network policy'),
  );
  void policyInPlace().catch((error: unknown) => logger.error({ err: error }, 'network policy'));
  const policiesInPlace = async () => {
    await Promise.all([policyInPlace(), buildPolicyInPlace()]);
  };
  const builds = new BuildPods({
    client: buildClient,
    registry,
    instanceId,
    settings,
    render: { packages: config.packages },
    glueFile: JUPYTER_GLUE,
    logger,
    networkPolicyInPlace: policiesInPlace,
  });
  const sessions = new SessionPods({
    client,
    instanceId,
    settings: settings.sessions,
    startTimeoutMs: config.sessions.startTimeoutSeconds * 1000,
    startScriptOf: (image) => builds.startScriptOf(image),
  });
  void builds.removeStale().catch((error: unknown) => {
    logger.warn({ err: error }, 'could not remove finished build pods');
  });
  const allowed = settings.allowedImages.map((pattern) => picomatch(pattern));
  return {
    name: 'kubernetes',
    builderVersion: builds.version,
    persistent: true,
    enforcesResources: true,
    plan: (source) => builds.plan(source),
    findImage: async (name): Promise<BuiltImage> => {
      if (!allowed.some((matches) => matches(name))) {
        throw forbidden(`the image ${name} is not on this server's list of launchable images`);
      }
      if (!(await registry.digest(name)))
        throw notFound(`the image ${name} is not in its registry`);
      return { id: name, name };
    },
    spawn: async (request) => {
      await policyInPlace();
      return sessions.spawn(request);
    },
    listSessions: () => sessions.list(),
    adopt: (listed) => sessions.adopt(listed),
    remove: (listed) => sessions.remove(listed),
    findSession: (id) => sessions.find(id),
    claims: new PodClaims(client),
    instanceSessions: () => Promise.resolve(sessions.count()),
    // A policy that could not be put in place is tried again here, so /health tells when
    // launches can succeed again.
    health: async () => {
      if (!(await client.reachable())) {
        return { ok: false, problem: 'the Kubernetes API server does not answer' };
      }
      return policiesInPlace().then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, problem: (error as Error).message }),
      );
    },
    close: () => {
      builds.close();
      sessions.close();
    },
  };
}
