import type { V1Pod } from '@kubernetes/client-node';
import type {
  V1Container,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1Volume,
} from '@kubernetes/client-node';
import { DEFAULT_BUILDER_IMAGES } from './config.js';
import type { KubernetesSettings } from './config.js';
import { POD_ANNOTATIONS, POD_LABELS, instanceLabels } from './labels.js';
import { RESTRICTED, SESSION_UID, allowedEgress, dnsEgress } from './manifests.js';
import { parseImage } from './registry.js';

/** The build pod's first step, which unpacks the build context from its standard input. */
export const CONTEXT_CONTAINER = 'context';
/** The second step, which runs the repository's build into a tarball, with no push credential. */
export const BUILD_CONTAINER = 'build';
/** The last step, which pushes the tarball with the push credential. */
export const PUSH_CONTAINER = 'push';
/** Where build pods unpack the build context; the built image's tarball is written there too. */
const WORKSPACE = '/workspace';
/** The built image, as a Docker-style tarball (`docker save`'s format). */
const IMAGE_TARBALL = `${WORKSPACE}/image.tar`;
/** Where the push step finds the push Secret's config.json. */
const PUSH_CONFIG_DIR = '/push-config';

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
 * A build pod of three steps that never run at the same time: init container `context`
 * unpacks the build context the server streams to its standard input (`attach`); init
 * container `build` (rootless BuildKit or kaniko) runs the repository's build into a
 * tarball in the workspace, with at most the read-only `registry.pullSecret`; container
 * `push` then pushes the tarball with `registry.pushSecret`, the only container that
 * mounts it. No process the repository started outlives the build step, so none runs
 * beside the push credential (docs/security.md). The pod is ended at the build timeout.
 */
export function buildPod(input: BuildPodInput): V1Pod {
  const { builder } = input.settings;
  const kaniko = builder.kind === 'kaniko';
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
        buildContainer(input),
      ],
      containers: [pushContainer(input)],
      volumes: buildVolumes(input.settings),
    },
  };
}

/** Requests and limits of the build and push steps (they never overlap, so share them). */
function resources(builder: KubernetesSettings['builder']): V1Container['resources'] {
  const { memory, cpu } = builder.resources;
  return { requests: { memory, cpu }, limits: { memory, cpu } };
}

/** The step that runs the repository's build: no push credential is within its reach. */
function buildContainer(input: BuildPodInput): V1Container {
  const { builder, registry } = input.settings;
  const kaniko = builder.kind === 'kaniko';
  return {
    name: BUILD_CONTAINER,
    image: builder.image ?? DEFAULT_BUILDER_IMAGES[builder.kind],
    ...(kaniko ? kanikoCommand(input) : buildkitCommand(input)),
    resources: resources(builder),
    volumeMounts: [
      { name: 'workspace', mountPath: WORKSPACE },
      ...(kaniko ? [] : [{ name: 'buildkit', mountPath: '/home/user/.local/share/buildkit' }]),
      ...(registry.pullSecret
        ? [{ name: 'pull-config', mountPath: kaniko ? '/kaniko/.docker' : '/home/user/.docker' }]
        : []),
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
  };
}

/**
 * Pushes the tarball the build left, refusing anything but a regular file there: a
 * symbolic link or directory (crane reads a directory as an OCI layout) planted by the
 * build could point the pusher at its own credential.
 */
const PUSH_SCRIPT = [
  'if [ -L "$1" ] || [ ! -f "$1" ]; then echo "the build left no image tarball at $1" >&2; exit 1; fi',
  'exec crane push "$@"',
].join('\n');

/** The step that pushes the built image: the only one that mounts the push Secret. */
function pushContainer(input: BuildPodInput): V1Container {
  const { builder, registry } = input.settings;
  return {
    name: PUSH_CONTAINER,
    image: builder.pushImage,
    command: ['sh', '-c', PUSH_SCRIPT, 'push'],
    args: [IMAGE_TARBALL, input.tag, ...(registry.insecure ? ['--insecure'] : [])],
    env: [{ name: 'DOCKER_CONFIG', value: PUSH_CONFIG_DIR }],
    resources: resources(builder),
    volumeMounts: [
      { name: 'workspace', mountPath: WORKSPACE, readOnly: true },
      ...(registry.pushSecret
        ? [{ name: 'push-config', mountPath: PUSH_CONFIG_DIR, readOnly: true }]
        : []),
    ],
    securityContext: RESTRICTED,
  };
}

function buildVolumes({ builder, registry }: KubernetesSettings): V1Volume[] {
  const dockerConfig = (name: string, secretName: string): V1Volume => ({
    name,
    secret: { secretName, items: [{ key: '.dockerconfigjson', path: 'config.json' }] },
  });
  return [
    { name: 'workspace', emptyDir: { sizeLimit: builder.workspaceSize } },
    ...(builder.kind === 'kaniko' ? [] : [{ name: 'buildkit', emptyDir: {} }]),
    ...(registry.pullSecret ? [dockerConfig('pull-config', registry.pullSecret)] : []),
    ...(registry.pushSecret ? [dockerConfig('push-config', registry.pushSecret)] : []),
  ];
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
    `--output=type=docker,name=${input.tag},dest=${IMAGE_TARBALL}`,
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
      // kaniko names the image in the tarball after its destination; it pushes nothing.
      `--destination=${input.tag}`,
      '--no-push',
      `--tar-path=${IMAGE_TARBALL}`,
      ...Object.entries(input.buildargs).map(([key, value]) => `--build-arg=${key}=${value}`),
      ...Object.entries(input.labels).map(([key, value]) => `--label=${key}=${value}`),
      ...(input.settings.registry.insecure ? ['--insecure-pull'] : []),
    ],
  };
}

/** What the build pods' NetworkPolicy is made from. */
export interface BuildNetworkPolicyInput {
  name: string;
  instanceId: string;
  settings: KubernetesSettings['networkPolicy']['builds'];
  /** CIDRs of DNS resolvers that are no pods (`networkPolicy.dnsResolvers`). */
  dnsResolvers: readonly string[];
}

/**
 * The NetworkPolicy of an instance's build pods: no traffic in (the server reaches them
 * only through the API server: attach, logs); out to `egress.allow` minus `egress.block`,
 * DNS (`dnsEgress`), and the registry's peers (`registry`: CIDRs or NetworkPolicyPeers, all ports).
 */
export function buildNetworkPolicy(input: BuildNetworkPolicyInput): V1NetworkPolicy {
  const { egress, registry } = input.settings;
  const registryPeers: V1NetworkPolicyPeer[] = registry.map((peer) =>
    typeof peer === 'string' ? { ipBlock: { cidr: peer } } : peer,
  );
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: input.name, labels: { [POD_LABELS.name]: 'binder-cell' } },
    spec: {
      podSelector: { matchLabels: instanceLabels(input.instanceId, 'build') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        ...allowedEgress(egress.allow, egress.block),
        dnsEgress(input.dnsResolvers),
        ...(registryPeers.length > 0 ? [{ to: registryPeers }] : []),
      ],
    },
  };
}
