import type {
  V1NetworkPolicy,
  V1NetworkPolicyEgressRule,
  V1Pod,
  V1SecurityContext,
} from '@kubernetes/client-node';
import { within } from '../../util/cidr.js';
import { GLUE_DIR, sessionCommand } from '../docker/container-spawner.js';
import type { KubernetesSettings } from './config.js';
import { POD_LABELS, instanceLabels } from './labels.js';

/** The container of a session pod; logs and statuses are read by this name. */
export const SESSION_CONTAINER = 'jupyter';

/** jupyter_server's `ip` for listening on every IPv4 and IPv6 address (tornado binds both). */
export const ALL_ADDRESSES = '';

/** The uid sessions (and rootless builds) run as, whatever the image says. */
export const SESSION_UID = 1000;

/** A container's security context as Pod Security `restricted` wants it. */
export const RESTRICTED: V1SecurityContext = {
  runAsNonRoot: true,
  runAsUser: SESSION_UID,
  runAsGroup: SESSION_UID,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** What a session pod is made from. */
export interface SessionPodInput {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  image: string;
  /** The image's start script (absolute path in the image), if it has one. */
  start: string | undefined;
  /** The kernel server's own token. */
  token: string;
  /** Kubernetes quantities, e.g. `1073741824` (bytes) and `500m`. */
  memory: string;
  cpuLimit: string;
  cpuRequest: string;
  settings: KubernetesSettings['sessions'];
}

/**
 * A session pod: the kernel-only jupyter_server as on Docker (docker/container-spawner.ts),
 * non-root with no privileges, no service account token, and its memory requested as
 * much as it may use, so it is never evicted for using what it was granted. Its local
 * disk is limited (`ephemeralStorage`); processes are limited per node, by the kubelet's
 * `podPidsLimit` (Kubernetes has no per-pod field).
 */
export function sessionPod(input: SessionPodInput): V1Pod {
  const { settings } = input;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: input.name, labels: input.labels, annotations: input.annotations },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: SESSION_UID,
        runAsGroup: SESSION_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      nodeSelector: settings.nodeSelector,
      tolerations: settings.tolerations,
      imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })),
      containers: [
        {
          name: SESSION_CONTAINER,
          image: input.image,
          // Every address: a pod's IP may be IPv6 (single- or dual-stack clusters).
          command: sessionCommand(
            input.start,
            `${GLUE_DIR}/binder_cell_jupyter.py`,
            settings.port,
            ALL_ADDRESSES,
          ),
          env: [
            { name: 'JUPYTER_TOKEN', value: input.token },
            { name: 'PYTHONPATH', value: GLUE_DIR },
            { name: 'PYTHONUNBUFFERED', value: '1' },
          ],
          ports: [{ name: 'jupyter', containerPort: settings.port, protocol: 'TCP' }],
          resources: {
            requests: {
              memory: input.memory,
              cpu: input.cpuRequest,
              'ephemeral-storage': settings.ephemeralStorage.request,
            },
            limits: {
              memory: input.memory,
              cpu: input.cpuLimit,
              'ephemeral-storage': settings.ephemeralStorage.limit,
            },
          },
          securityContext: RESTRICTED,
        },
      ],
    },
  };
}

/** What the sessions' NetworkPolicy is made from. */
export interface NetworkPolicyInput {
  name: string;
  instanceId: string;
  port: number;
  /** The namespace of the server's pods, which may differ from the sessions' own. */
  serverNamespace: string;
  settings: KubernetesSettings['networkPolicy'];
}

/**
 * The NetworkPolicy of an instance's session pods: traffic in only from the server's pods
 * (in their own namespace) to the kernel server's port; out to `egress.allow` minus `egress.block`, and DNS.
 */
export function sessionNetworkPolicy(input: NetworkPolicyInput): V1NetworkPolicy {
  const { allow, block } = input.settings.egress;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: input.name, labels: { [POD_LABELS.name]: 'binder-cell' } },
    spec: {
      podSelector: { matchLabels: instanceLabels(input.instanceId, 'session') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          _from: [
            {
              // Without a namespaceSelector, a peer only selects pods in the policy's namespace.
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': input.serverNamespace },
              },
              podSelector: { matchLabels: input.settings.serverPodLabels },
            },
          ],
          ports: [{ port: input.port, protocol: 'TCP' }],
        },
      ],
      egress: [...allowedEgress(allow, block), dnsEgress(input.settings.dnsResolvers)],
    },
  };
}

/**
 * The egress rule for DNS, port 53 only: to pods in any namespace (CoreDNS, kube-dns) and
 * to `resolvers`, the CIDRs of resolvers that are no pods (NodeLocal DNSCache's
 * 169.254.20.10 on the node's host network, Cloud DNS for GKE's 169.254.169.254), which a
 * `namespaceSelector` never matches and `block` would otherwise keep out
 * (kubernetes/kubernetes#70555).
 */
export function dnsEgress(resolvers: readonly string[]): V1NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: {} }, ...resolvers.map((cidr) => ({ ipBlock: { cidr } }))],
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ],
  };
}

/**
 * The egress rules for CIDRs `allow` minus `block`: each allowed CIDR with the blocked ones
 * inside it as its `except`, so an allowed CIDR inside a blocked one stays reachable (the
 * configuration refuses one both allowed and blocked). None when nothing is allowed: a rule
 * with no peers would allow every destination.
 */
export function allowedEgress(
  allow: readonly string[],
  block: readonly string[],
): V1NetworkPolicyEgressRule[] {
  if (allow.length === 0) return [];
  const to = allow.map((cidr) => {
    const except = block.filter((blocked) => within(blocked, cidr));
    return { ipBlock: { cidr, ...(except.length > 0 ? { except } : {}) } };
  });
  return [{ to }];
}
