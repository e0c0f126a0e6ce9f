import { z } from 'zod';

/** A Kubernetes label or annotation key (`prefix/name`) and its value. */
const labelMap = z.record(z.string().min(1), z.string());
const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;
const IMAGE_PREFIX = /^[a-z0-9][a-z0-9._:/-]*[a-z0-9]$/;

/** Builder images binder-cell was tested with, per kind. */
export const DEFAULT_BUILDER_IMAGES = {
  buildkit: 'moby/buildkit:v0.16.0-rootless',
  kaniko: 'gcr.io/kaniko-project/executor:v1.23.2',
} as const;

const toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

/**
 * The `kubernetes` section of the configuration (docs/server.md, "The kubernetes backend").
 * Every replica of the server reads the same section and shares `instanceId`.
 */
export const kubernetesSettings = z.object({
  /**
   * Namespace of build and session pods. Unset: the server pod's own namespace (read from its
   * service account), else `default`.
   */
  namespace: z.string().optional(),
  /** A kubeconfig file; unset: the in-cluster service account, else KUBECONFIG / ~/.kube/config. */
  kubeconfig: z.string().optional(),
  registry: z
    .object({
      /** Images are `<prefix>/<name>:<key>`, e.g. `registry.example.org/binder-cell`. */
      prefix: z.string().regex(IMAGE_PREFIX).default('binder-cell'),
      /** A `kubernetes.io/dockerconfigjson` Secret mounted into build pods, which push with it. */
      pushSecret: z.string().optional(),
      /** A Docker config.json (the same Secret mounted into the server pod) the server asks the registry with. */
      authFile: z.string().optional(),
      /** Plain-HTTP registry (an in-cluster registry without TLS). */
      insecure: z.boolean().default(false),
    })
    .prefault({}),
  /**
   * The image every environment starts from, in the registry (build pods pull it); unset:
   * `<registry.prefix>/base:<debianSuite>`, pushed there after `binder-cell-server base-image`.
   */
  baseImage: z.string().optional(),
  debianSuite: z.string().default('bookworm'),
  /** Python version of the base image's Debian release. */
  basePython: z.string().default('3.11'),
  builder: z
    .object({
      kind: z.enum(['buildkit', 'kaniko']).default('buildkit'),
      /** The builder's image; DEFAULT_BUILDER_IMAGES[kind] when unset. */
      image: z.string().optional(),
      /** Image of the build pod's first step, which unpacks the build context the server sends (needs `tar`). */
      contextImage: z.string().default('busybox:1.36'),
      timeoutSeconds: z.number().positive().default(1800),
      /** Finished build pods are deleted this long after they end; older ones on start. */
      keepFinishedSeconds: z.number().min(0).default(600),
      /** Requests and limits of build pods, in Kubernetes quantities. */
      resources: z
        .object({
          memory: z.string().default('4Gi'),
          cpu: z.string().default('2'),
        })
        .prefault({}),
      nodeSelector: labelMap.default({}),
      tolerations: z.array(toleration).default([]),
    })
    .prefault({}),
  sessions: z
    .object({
      /** The kernel server's port in the session pod; the proxy reaches `<pod IP>:<port>`. */
      port: z.number().int().min(1).max(65535).default(8888),
      /** Requests and limits when admission grants none (Kubernetes quantities). */
      memory: z.string().default('1Gi'),
      cpu: z.string().default('1'),
      /** The CPU request as a share of the limit (sessions idle most of the time). */
      cpuRequestFraction: z.number().positive().max(1).default(0.1),
      nodeSelector: labelMap.default({}),
      tolerations: z.array(toleration).default([]),
      imagePullSecrets: z.array(z.string()).default([]),
    })
    .prefault({}),
  networkPolicy: z
    .object({
      /** The backend creates (or updates) the session NetworkPolicy on start. */
      enabled: z.boolean().default(true),
      /** Labels of the server's own pods: the only pods session pods accept traffic from. */
      serverPodLabels: labelMap.default({
        'app.kubernetes.io/name': 'binder-cell',
        'app.kubernetes.io/component': 'server',
      }),
      egress: z
        .object({
          /** CIDRs sessions may reach. */
          allow: z.array(z.string().regex(CIDR)).default(['0.0.0.0/0']),
          /** CIDRs taken out of `allow`: cloud metadata and in-cluster ranges. */
          block: z
            .array(z.string().regex(CIDR))
            .default(['169.254.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Images `{ "image": ... }` launches may use, as globs (the registry is asked whether they exist). */
  allowedImages: z.array(z.string()).default([]),
});

export type KubernetesSettings = z.infer<typeof kubernetesSettings>;
