import type { V1Pod } from '@kubernetes/client-node';
import { DEFAULT_BUILDER_IMAGES } from './config.js';
import type { KubernetesSettings } from './config.js';
import { POD_ANNOTATIONS, POD_LABELS, instanceLabels } from './labels.js';
import { RESTRICTED, SESSION_UID } from './manifests.js';
import { parseImage } from './registry.js';

/** The build pod's first step, which unpacks the build context from its standard input. */
export const CONTEXT_CONTAINER = 'context';
export const BUILD_CONTAINER = 'build';
/** Where build pods unpack the build context. */
const WORKSPACE = '/workspace';

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
