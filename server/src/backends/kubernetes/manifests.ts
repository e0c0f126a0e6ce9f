import type { V1NetworkPolicy, V1Pod, V1SecurityContext } from '@kubernetes/client-node';
import ipaddr from 'ipaddr.js';
import { GLUE_DIR, sessionCommand } from '../docker/container-spawner.js';
import { DEFAULT_BUILDER_IMAGES } from './config.js';
import type { KubernetesSettings } from './config.js';
import { POD_ANNOTATIONS, POD_LABELS, instanceLabels } from './labels.js';
import { parseImage } from './registry.js';

/** The container of a session pod; logs and statuses are read by this name. */
export const SESSION_CONTAINER = 'jupyter';
/** The build pod's first step, which unpacks the build context from its standard input. */
export const CONTEXT_CONTAINER = 'context';
export const BUILD_CONTAINER = 'build';
/** Where build pods unpack the build context. */
const WORKSPACE = '/workspace';

/** jupyter_server's `ip` for listening on every IPv4 and IPv6 address (tornado binds both). */
export const ALL_ADDRESSES = '';

/** The uid sessions (and rootless builds) run as, whatever the image says. */
const SESSION_UID = 1000;

const RESTRICTED: V1SecurityContext = {
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

/** What a build pod is made from. */
export interface BuildPodInput {
  name: string;
  instanceId: string;
  /** A hash of the image: the build pod's label, so replicas find it. */
  buildHash: string;
  /** The image to build and push, `<registry.prefix>/<name>:<key>`. */
  tag: string;
  /** The Dockerfile's path in the build context. */
  dockerfile: string;
  buildargs: Record<string, string>;
  labels: Record<string, string>;
  settings: KubernetesSettings;
}

/** Before Kubernetes 1.30, a container's AppArmor profile: `<this>/<container name>`. */
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io';

/**
 * A build pod: its first (init) container unpacks the build context the server streams to
 * its standard input (`attach`), then the builder (rootless BuildKit or kaniko) builds the
 * image from it and pushes it to the registry. The pod is ended at the build timeout.
 */
export function buildPod(input: BuildPodInput): V1Pod {
  const { settings } = input;
  const { builder, registry } = settings;
  const kaniko = builder.kind === 'kaniko';
  const dockerConfigDir = kaniko ? '/kaniko/.docker' : '/home/user/.docker';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      labels: { ...instanceLabels(input.instanceId, 'build'), [POD_LABELS.build]: input.buildHash },
      annotations: {
        [POD_ANNOTATIONS.buildImage]: input.tag,
        // The `appArmorProfile` field below exists from Kubernetes 1.30; older API servers
        // drop it and read this annotation instead (newer ones check that both agree).
        ...(kaniko ? {} : { [`${APPARMOR_ANNOTATION}/${BUILD_CONTAINER}`]: 'unconfined' }),
      },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: Math.ceil(builder.timeoutSeconds),
      nodeSelector: builder.nodeSelector,
      tolerations: builder.tolerations,
      initContainers: [
        {
          name: CONTEXT_CONTAINER,
          image: builder.contextImage,
          command: ['tar', '-x', '-f', '-', '-C', WORKSPACE],
          stdin: true,
          stdinOnce: true,
          volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }],
          securityContext: RESTRICTED,
        },
      ],
      containers: [
        {
          name: BUILD_CONTAINER,
          image: builder.image ?? DEFAULT_BUILDER_IMAGES[builder.kind],
          ...(kaniko ? kanikoCommand(input) : buildkitCommand(input)),
          resources: {
            requests: { memory: builder.resources.memory, cpu: builder.resources.cpu },
            limits: { memory: builder.resources.memory, cpu: builder.resources.cpu },
          },
          volumeMounts: [
            { name: 'workspace', mountPath: WORKSPACE },
            ...(kaniko
              ? []
              : [{ name: 'buildkit', mountPath: '/home/user/.local/share/buildkit' }]),
            ...(registry.pushSecret ? [{ name: 'docker-config', mountPath: dockerConfigDir }] : []),
          ],
          securityContext: kaniko
            ? // kaniko unpacks images as root inside its container; it needs no privileges.
              { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }
            : // Rootless BuildKit makes a user namespace, which the default profiles forbid.
              {
                runAsNonRoot: true,
                runAsUser: SESSION_UID,
                runAsGroup: SESSION_UID,
                seccompProfile: { type: 'Unconfined' },
                appArmorProfile: { type: 'Unconfined' },
              },
        },
      ],
      volumes: [
        { name: 'workspace', emptyDir: {} },
        ...(kaniko ? [] : [{ name: 'buildkit', emptyDir: {} }]),
        ...(registry.pushSecret
          ? [
              {
                name: 'docker-config',
                secret: {
                  secretName: registry.pushSecret,
                  items: [{ key: '.dockerconfigjson', path: 'config.json' }],
                },
              },
            ]
          : []),
      ],
    },
  };
}

/**
 * buildkitd reads which registries speak plain HTTP from its own config file, for the
 * images a build pulls (the base and environment images); the script writes it, then
 * runs the build.
 */
const PLAIN_HTTP_REGISTRY = [
  'mkdir -p "$HOME/.config/buildkit"',
  'printf \'[registry."%s"]\\n  http = true\\n  insecure = true\\n\' "$REGISTRY_HOST" > "$HOME/.config/buildkit/buildkitd.toml"',
  'exec buildctl-daemonless.sh "$@"',
].join('\n');

function buildkitCommand(input: BuildPodInput) {
  const { insecure } = input.settings.registry;
  const args = [
    'build',
    '--frontend=dockerfile.v0',
    `--local=context=${WORKSPACE}`,
    `--local=dockerfile=${WORKSPACE}`,
    `--opt=filename=${input.dockerfile}`,
    ...Object.entries(input.buildargs).map(([key, value]) => `--opt=build-arg:${key}=${value}`),
    ...Object.entries(input.labels).map(([key, value]) => `--opt=label:${key}=${value}`),
    `--output=type=image,name=${input.tag},push=true${insecure ? ',registry.insecure=true' : ''}`,
  ];
  return {
    command: insecure
      ? ['/bin/sh', '-c', PLAIN_HTTP_REGISTRY, 'buildctl-daemonless.sh']
      : ['buildctl-daemonless.sh'],
    args,
    env: [
      { name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' },
      { name: 'DOCKER_CONFIG', value: '/home/user/.docker' },
      ...(insecure ? [{ name: 'REGISTRY_HOST', value: parseImage(input.tag).host }] : []),
    ],
  };
}

function kanikoCommand(input: BuildPodInput) {
  return {
    args: [
      `--context=dir://${WORKSPACE}`,
      `--dockerfile=${WORKSPACE}/${input.dockerfile}`,
      `--destination=${input.tag}`,
      ...Object.entries(input.buildargs).map(([key, value]) => `--build-arg=${key}=${value}`),
      ...Object.entries(input.labels).map(([key, value]) => `--label=${key}=${value}`),
      ...(input.settings.registry.insecure ? ['--insecure', '--insecure-pull'] : []),
    ],
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
      egress: [
        {
          to: allow.map((cidr) => {
            const except = block.filter((blocked) => within(blocked, cidr));
            return { ipBlock: { cidr, ...(except.length > 0 ? { except } : {}) } };
          }),
        },
        {
          to: [{ namespaceSelector: {} }],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    },
  };
}

/** Whether CIDR `inner` lies strictly inside CIDR `outer` (ipBlock's `except` must). */
export function within(inner: string, outer: string): boolean {
  const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
  const [outerAddress, outerBits] = ipaddr.parseCIDR(outer);
  return (
    innerAddress.kind() === outerAddress.kind() &&
    innerBits > outerBits &&
    innerAddress.match(outerAddress, outerBits)
  );
}
