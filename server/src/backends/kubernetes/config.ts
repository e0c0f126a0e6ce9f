import { quantityToScalar } from '@kubernetes/client-node/dist/util.js';
import { z } from 'zod';
import { canonicalCidr, cidr, isCidr, within } from '../../util/cidr.js';

// Every rule below is a regular expression (or a length), not code, so that the Helm
// chart's values schema, generated from this one (deploy/helm/generate-schema.ts), checks
// the same: Helm refuses what the server would refuse. They are RE2's subset of JavaScript's
// (no lookaround, no backreferences), which Helm's JSON Schema validator runs.

/** A label value: at most 63 letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit (or empty). */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** A label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 (a label value, not empty). */
const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelKey = z
  .string()
  .regex(LABEL_KEY, { error: (issue) => `${JSON.stringify(issue.input)} is no label key` });
const labelValue = z.string().regex(LABEL_VALUE, {
  error: (issue) => `${JSON.stringify(issue.input)} is no label value`,
});
/** Labels (node selectors, the server pods' labels), as the API server takes them. */
const labelMap = z.record(labelKey, labelValue);
/** A namespace name (a DNS-1123 label): at most 63 lower-case letters, digits or `-`. */
const namespace = z.string().regex(/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is no namespace name (at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit)`,
});
/** An object name such as a Secret's (a DNS-1123 subdomain). */
const objectName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no object name (lower-case letters, digits, "-" and ".")`,
  });
const IMAGE_PREFIX = /^[a-z0-9][a-z0-9._:/-]*[a-z0-9]$/;
/**
 * A quantity of bytes above 0: a whole number of at most 15 digits, with a binary (`Ki` to
 * `Pi`) or decimal (`k` to `P`) suffix.
 */
const BYTES = /^[1-9]\d{0,14}(?:[KMGTP]i|[kMGTP])?$/;
/**
 * Room a pod runs in (memory, a disk limit): at least 64Mi (less starts nothing, or is
 * filled at once), whole `Mi`, `Gi`, `Ti` or decimal `M`, `G`, `T`.
 */
const ROOM =
  /^(?:(?:6[4-9]|[7-9]\d|[1-9]\d{2,8})Mi|(?:6[89]|[7-9]\d|[1-9]\d{2,8})M|[1-9]\d{0,5}(?:Gi|G|Ti|T))$/;
/**
 * A quantity of CPUs in whole millicores, 1m to 9999.999: a decimal number with at most
 * three decimals above 0 (`2`, `0.5`, `0.001`), or millicores (`500m`). The kubelet cannot
 * give less than 1m; `0.0001` would be a 0m limit the API server refuses.
 */
const CPUS = /^(?:[1-9]\d{0,6}m|[1-9]\d{0,3}(?:\.\d{1,3})?|0\.(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9]))$/;

/** What each kind of quantity must match, and examples of it. */
const QUANTITIES = {
  bytes: { pattern: BYTES, examples: '`4Gi`, `512Mi`, `20G`' },
  memory: { pattern: ROOM, examples: '`1Gi`, `512Mi`, `2G`; at least `64Mi`' },
  disk: { pattern: ROOM, examples: '`4Gi`, `20Gi`, `500M`; at least `64Mi`' },
  cpus: { pattern: CPUS, examples: '`2`, `0.5`, `500m`; at least `1m`' },
} as const;

/**
 * A Kubernetes quantity of `unit` (`bytes`: `4Gi`, `500M`; `memory` and `disk`: bytes a pod
 * runs in, at least 64Mi; `cpus`: `2`, `0.5`, `500m`), checked at parse so that a value the API
 * server would refuse (`lots`, `20 GB`, `one`, `0.0001`), or one no pod could start with
 * (`1` byte of memory), stops the server on start rather than failing every pod it creates.
 * A subset of Kubernetes' quantity grammar (no exponents, no fractions of bytes or of
 * millicores).
 */
export function quantity(unit: keyof typeof QUANTITIES) {
  const { pattern, examples } = QUANTITIES[unit];
  return z.string().regex(pattern, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no Kubernetes quantity of ${unit} (such as ${examples})`,
  });
}

/** A quantity of bytes as a number (`2Gi` -> 2147483648). */
export function quantityBytes(quantity: string): number {
  return Number(quantityToScalar(quantity));
}

/** Builder images binder-cell was tested with, per kind. */
export const DEFAULT_BUILDER_IMAGES = {
  buildkit: 'moby/buildkit:v0.16.0-rootless',
  kaniko: 'gcr.io/kaniko-project/executor:v1.23.2',
} as const;

/**
 * The image of the build pod's push step: go-containerregistry's crane with a shell
 * (its `debug` variant), pinned by tag.
 */
export const DEFAULT_PUSH_IMAGE = 'gcr.io/go-containerregistry/crane/debug:v0.20.2';

/**
 * Cloud metadata (169.254.169.254) and the private ranges clusters use for pods and
 * services: what session and build pods may not reach unless the operator says otherwise.
 */
const DEFAULT_BLOCKED = ['169.254.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** A label selector's expression, as the API server takes it: values with `In` and `NotIn` only. */
const labelSelectorRequirement = z
  .strictObject({
    key: labelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(labelValue).optional(),
  })
  .superRefine(({ operator, values }, context) => {
    const listed = (values ?? []).length > 0;
    if ((operator === 'In' || operator === 'NotIn') !== listed) {
      context.addIssue({
        code: 'custom',
        message: listed
          ? `a label selector's ${operator} has no values`
          : `a label selector's ${operator} needs values`,
      });
    }
  })
  .meta({
    if: { properties: { operator: { enum: ['In', 'NotIn'] } } },
    then: { required: ['values'], properties: { values: { minItems: 1 } } },
    else: { properties: { values: { maxItems: 0 } } },
  });

const labelSelector = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});

/**
 * A NetworkPolicyPeer, as the API server takes it: pods (`podSelector`, `namespaceSelector`
 * or both) or addresses (`ipBlock`, whose `except` ranges lie inside its `cidr`), not both.
 */
const networkPolicyPeer = z
  .strictObject({
    podSelector: labelSelector.optional(),
    namespaceSelector: labelSelector.optional(),
    ipBlock: z.strictObject({ cidr: cidr(), except: z.array(cidr()).optional() }).optional(),
  })
  .superRefine(({ podSelector, namespaceSelector, ipBlock }, context) => {
    const selects = podSelector !== undefined || namespaceSelector !== undefined;
    const fault =
      ipBlock && selects
        ? 'a peer has an ipBlock or selectors, not both'
        : !ipBlock && !selects
          ? 'a peer needs a podSelector, a namespaceSelector or an ipBlock'
          : ipBlock?.except
              ?.filter(
                (range) => isCidr(range) && isCidr(ipBlock.cidr) && !within(range, ipBlock.cidr),
              )
              .map((range) => `${range} is not inside the ipBlock's cidr ${ipBlock.cidr}`)
              .join('; ');
    if (fault) context.addIssue({ code: 'custom', message: fault });
  })
  // All but `except` inside `cidr` (no JSON Schema can compare addresses) for the chart.
  .meta({
    minProperties: 1,
    not: {
      required: ['ipBlock'],
      anyOf: [{ required: ['podSelector'] }, { required: ['namespaceSelector'] }],
    },
  });

/**
 * Where `who` may connect to: `allow` minus `block`. A blocked range inside an allowed one is
 * taken out of it (ipBlock's `except`); an allowed range inside a blocked one is allowed (the
 * way to let pods reach one in-cluster address). NetworkPolicy rules add up, so no rule can
 * block what another allows.
 */
function egress(who: string) {
  return z
    .strictObject({
      allow: z
        .array(cidr())
        .default(['0.0.0.0/0'])
        .describe(
          `CIDRs ${who} may reach. One inside a \`block\` range is reachable all the same (e.g. an in-cluster service's address).`,
        ),
      block: z
        .array(cidr())
        .default(DEFAULT_BLOCKED)
        .describe(
          'CIDRs taken out of the `allow` ranges that hold them: cloud metadata and in-cluster ranges.',
        ),
    })
    .superRefine(({ allow, block }, context) => {
      // Zod refines an object whose fields failed too; those are reported already.
      const blocked = new Set(block.filter(isCidr).map(canonicalCidr));
      const both = allow.filter((range) => isCidr(range) && blocked.has(canonicalCidr(range)));
      if (both.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `${both.join(', ')} is both allowed and blocked: take it out of one of the lists`,
        });
      }
    })
    .prefault({});
}

/** A toleration, as the API server takes it (the rules across its fields are checked too). */
const toleration = z
  .strictObject({
    key: labelKey
      .or(z.literal(''))
      .optional()
      .describe('The taint key the toleration matches; none (or empty): every key.'),
    operator: z
      .enum(['Exists', 'Equal'])
      .optional()
      .describe('How the key is matched: `Equal` (the default) to `value`, or `Exists`.'),
    value: labelValue.optional().describe('The taint value, with `Equal`.'),
    effect: z
      .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      .optional()
      .describe('The taint effect tolerated; none: every effect.'),
    tolerationSeconds: z
      .number()
      .int()
      .optional()
      .describe('How long a `NoExecute` taint is tolerated.'),
  })
  .superRefine(({ key, operator, value, effect, tolerationSeconds }, context) => {
    const faults = [
      !key && operator !== 'Exists' && 'a toleration without a key needs operator Exists',
      operator === 'Exists' && value && 'a toleration with operator Exists has no value',
      tolerationSeconds !== undefined &&
        effect !== 'NoExecute' &&
        'tolerationSeconds needs effect NoExecute',
    ];
    for (const fault of faults) if (fault) context.addIssue({ code: 'custom', message: fault });
  })
  // The same rules for the Helm chart's values schema (JSON Schema, draft-07).
  .meta({
    allOf: [
      {
        if: { anyOf: [{ not: { required: ['key'] } }, { properties: { key: { const: '' } } }] },
        then: { required: ['operator'], properties: { operator: { const: 'Exists' } } },
      },
      {
        if: { required: ['operator'], properties: { operator: { const: 'Exists' } } },
        then: { properties: { value: { const: '' } } },
      },
      {
        if: { required: ['tolerationSeconds'] },
        then: { required: ['effect'], properties: { effect: { const: 'NoExecute' } } },
      },
    ],
  });

/**
 * The `kubernetes` section of the configuration (docs/server.md, "The kubernetes backend").
 * Every replica of the server reads the same section and shares `instanceId`.
 */
export const kubernetesSettings = z.strictObject({
  namespace: namespace
    .optional()
    .describe(
      "Namespace of build and session pods; the server pod's own namespace (from its service account), else `default`, when unset.",
    ),
  kubeconfig: z
    .string()
    .optional()
    .describe(
      'A kubeconfig file; unset: the in-cluster service account, else `KUBECONFIG` or ~/.kube/config.',
    ),
  registry: z
    .strictObject({
      prefix: z
        .string()
        .regex(IMAGE_PREFIX)
        .default('binder-cell')
        .describe('Images are `<prefix>/<name>:<key>`, e.g. `registry.example.org/binder-cell`.'),
      pushSecret: objectName
        .optional()
        .describe(
          "A `kubernetes.io/dockerconfigjson` Secret that may push to the registry: mounted only into the build pod's last step, which pushes the built image; never where the repository's build steps run.",
        ),
      pullSecret: objectName
        .optional()
        .describe(
          "A `kubernetes.io/dockerconfigjson` Secret the build step pulls the base and environment images with, when the registry wants a login to read. The repository's build steps can read it: give it read-only access.",
        ),
      authFile: z
        .string()
        .optional()
        .describe(
          'A Docker config.json (the same Secret mounted into the server pod) the server asks the registry with.',
        ),
      insecure: z
        .boolean()
        .default(false)
        .describe('Plain-HTTP registry (an in-cluster registry without TLS).'),
    })
    .prefault({})
    .describe('Where built images are pushed and looked up.'),
  baseImage: z
    .string()
    .optional()
    .describe(
      'The image every environment starts from, in the registry (build pods pull it); unset: `<registry.prefix>/base:<debianSuite>`, pushed there after `binder-cell-server base-image`.',
    ),
  debianSuite: z.string().default('bookworm').describe('Debian release of the base image.'),
  basePython: z
    .string()
    .default('3.11')
    .describe("Python version of the base image's Debian release."),
  builder: z
    .strictObject({
      namespace: namespace
        .optional()
        .describe(
          "Namespace of build pods and their NetworkPolicy (Pod Security `privileged` for BuildKit, `baseline` for kaniko), so the sessions' namespace can stay `restricted`; unset: the sessions' namespace.",
        ),
      kind: z
        .enum(['buildkit', 'kaniko'])
        .default('buildkit')
        .describe('What builds images in build pods: rootless BuildKit or kaniko.'),
      image: z
        .string()
        .optional()
        .describe("The builder's image; a tested one per kind when unset."),
      pushImage: z
        .string()
        .default(DEFAULT_PUSH_IMAGE)
        .describe(
          "Image of the build pod's push step, which pushes the built image with `registry.pushSecret`: one with `sh` and go-containerregistry's `crane` on its PATH.",
        ),
      workspaceSize: quantity('disk')
        .default('20Gi')
        .describe(
          "Size limit of a build pod's workspace (an emptyDir holding the build context and the built image's tarball until it is pushed), a quantity; a build pod past it is evicted.",
        ),
      contextImage: z
        .string()
        .default('busybox:1.36')
        .describe(
          "Image of the build pod's first step, which unpacks the build context the server sends (needs `tar`).",
        ),
      timeoutSeconds: z
        .number()
        .positive()
        .default(1800)
        .describe('A build pod still running after this is deleted and its launch fails.'),
      contextDeadlineSeconds: z
        .number()
        .positive()
        .default(60)
        .describe(
          'A build pod whose context has not arrived this long after its first step started (the replica that made it went away) is deleted by a replica following it, which builds again.',
        ),
      keepFinishedSeconds: z
        .number()
        .min(0)
        .default(600)
        .describe('Finished build pods are deleted this long after they end; older ones on start.'),
      resources: z
        .strictObject({
          memory: quantity('memory')
            .default('4Gi')
            .describe('Memory of a build pod (a quantity, at least 64Mi).'),
          cpu: quantity('cpus').default('2').describe('CPUs of a build pod (a quantity).'),
        })
        .prefault({})
        .describe('Requests and limits of build pods, in Kubernetes quantities.'),
      nodeSelector: labelMap.default({}).describe('Node labels build pods are scheduled on.'),
      tolerations: z.array(toleration).default([]).describe('Taints build pods tolerate.'),
    })
    .prefault({})
    .describe('Build pods.'),
  sessions: z
    .strictObject({
      port: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .default(8888)
        .describe(
          "The kernel server's port in the session pod; the proxy reaches `<pod IP>:<port>`.",
        ),
      memory: quantity('memory')
        .default('1Gi')
        .describe('Memory request and limit when admission grants none (a quantity).'),
      cpu: quantity('cpus')
        .default('1')
        .describe('CPU limit when admission grants none (a quantity).'),
      cpuRequestFraction: z
        .number()
        .positive()
        .max(1)
        .default(0.1)
        .describe('The CPU request as a share of the limit (sessions idle most of the time).'),
      ephemeralStorage: z
        .strictObject({
          limit: quantity('disk')
            .default('4Gi')
            .describe(
              'Local disk a session may fill (files it writes outside volumes, its logs): over it the kubelet evicts the pod and the session ends, saying so (a quantity such as `4Gi`).',
            ),
          request: quantity('bytes')
            .default('256Mi')
            .describe(
              'Local disk the scheduler reserves for each session pod on its node (a quantity, at most `limit`).',
            ),
        })
        .refine(
          // Zod refines an object whose fields failed too; those are reported already.
          ({ limit, request }) =>
            !BYTES.test(limit) ||
            !BYTES.test(request) ||
            quantityBytes(request) <= quantityBytes(limit),
          {
            message: 'the ephemeral-storage request must not be more than its limit',
          },
        )
        .prefault({})
        .describe(
          "Each session pod's `ephemeral-storage` request and limit, so one session cannot fill its node's disk.",
        ),
      nodeSelector: labelMap.default({}).describe('Node labels session pods are scheduled on.'),
      tolerations: z.array(toleration).default([]).describe('Taints session pods tolerate.'),
      imagePullSecrets: z
        .array(objectName)
        .default([])
        .describe('Secrets session pods pull their images with.'),
    })
    .prefault({})
    .describe('Session pods.'),
  networkPolicy: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'The backend creates (or updates) the NetworkPolicies of session and build pods on start.',
        ),
      serverPodLabels: labelMap
        .default({
          'app.kubernetes.io/name': 'binder-cell',
          'app.kubernetes.io/component': 'server',
        })
        .describe(
          "Labels of the server's own pods: the only pods session pods accept traffic from.",
        ),
      serverNamespace: namespace
        .optional()
        .describe(
          "Namespace of the server's own pods (when it differs from `namespace`); unset: the server pod's own (from its service account), else the sessions' namespace.",
        ),
      dnsResolvers: z
        .array(cidr())
        .default(['169.254.20.10/32', '169.254.169.254/32'])
        .describe(
          "CIDRs of DNS resolvers that are no pods, which session and build pods may reach on port 53 only, though `block` holds them: NodeLocal DNSCache (169.254.20.10) and Cloud DNS for GKE (169.254.169.254) by default; add your cluster's if it differs (the `nameserver` of a pod's /etc/resolv.conf). Resolvers running as pods are always reachable.",
        ),
      egress: egress('sessions').describe('Where sessions may connect to.'),
      builds: z
        .strictObject({
          egress: egress('build pods').describe(
            'Where build pods may connect to (package indexes, the registry).',
          ),
          registry: z
            .array(
              z.union([cidr(), networkPolicyPeer], {
                error: (issue) =>
                  typeof issue.input === 'string' ? `${issue.input} is no CIDR` : undefined,
              }),
            )
            .default([])
            .describe(
              'Where build pods reach an in-cluster (or private-range) registry, which `block` would keep them from: CIDRs, or NetworkPolicy peers (`podSelector`, `namespaceSelector`, `ipBlock`), all ports.',
            ),
        })
        .prefault({})
        .describe(
          'The NetworkPolicy of build pods: no traffic in; out to `egress.allow` minus `egress.block`, DNS and `registry`.',
        ),
    })
    .prefault({})
    .describe('The NetworkPolicies of session and build pods.'),
  allowedImages: z
    .array(z.string())
    .default([])
    .describe(
      'Images `{ "image": ... }` launches may use, as globs (the registry is asked whether they exist).',
    ),
});

export type KubernetesSettings = z.infer<typeof kubernetesSettings>;
