import { quantityToScalar } from '@kubernetes/client-node/dist/util.js';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

// Every rule below is a regular expression (or a length), not code, so that the Helm
// chart's values schema, generated from this one (deploy/helm/generate-schema.ts), checks
// the same: Helm refuses what the server would refuse. They are RE2's subset of JavaScript's
// (no lookaround, no backreferences), which Helm's JSON Schema validator runs.

/** A label value: at most 63 letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit (or empty). */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** A label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 (a label value, not empty). */
const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Labels (node selectors, the server pods' labels), as the API server takes them. */
const labelMap = z.record(
  z
    .string()
    .regex(LABEL_KEY, { error: (issue) => `${JSON.stringify(issue.input)} is no label key` }),
  z.string().regex(LABEL_VALUE, {
    error: (issue) => `${JSON.stringify(issue.input)} is no label value`,
  }),
);
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
 * A quantity of CPUs in whole millicores, 1m to 9999.999: a decimal number with at most
 * three decimals above 0 (`2`, `0.5`, `0.001`), or millicores (`500m`). The kubelet cannot
 * give less than 1m; `0.0001` would be a 0m limit the API server refuses.
 */
const CPUS = /^(?:[1-9]\d{0,6}m|[1-9]\d{0,3}(?:\.\d{1,3})?|0\.(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9]))$/;

/**
 * A Kubernetes quantity of `unit` (`bytes`: `4Gi`, `500M`; `cpus`: `2`, `0.5`, `500m`),
 * checked at parse so that a value the API server would refuse (`lots`, `20 GB`, `one`,
 * `0.0001`) stops the server on start rather than failing every pod it creates. A subset of
 * Kubernetes' quantity grammar (no exponents, no fractions of bytes or of millicores).
 */
export function quantity(unit: 'bytes' | 'cpus') {
  const pattern = unit === 'bytes' ? BYTES : CPUS;
  const example = unit === 'bytes' ? '`4Gi`, `512Mi`, `20G`' : '`2`, `0.5`, `500m`; at least `1m`';
  return z.string().regex(pattern, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no Kubernetes quantity of ${unit} (such as ${example})`,
  });
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9a-fA-F]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
/** RFC 3986's IPv6address: eight groups, or fewer around one `::`; the last two may be an IPv4 address. */
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join('|');
/**
 * A CIDR as NetworkPolicy's `ipBlock` takes it: an IPv4 address in four decimal parts (no
 * octal, hex or short forms) with a prefix length of 0 to 32, or an IPv6 address (no zone)
 * with 0 to 128.
 */
const CIDR = new RegExp(
  `^(?:${IPV4}/(?:3[0-2]|[12]?\\d)|(?:${IPV6})/(?:12[0-8]|1[01]\\d|[1-9]?\\d))$`,
);

/** Whether `value` is a CIDR as NetworkPolicy's `ipBlock` takes it (see CIDR). */
export function isCidr(value: string): boolean {
  return CIDR.test(value);
}

/** A CIDR, refused at parse with its value named. */
const cidr = z.string().regex(CIDR, { error: (issue) => `${String(issue.input)} is no CIDR` });

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

const labelSelector = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** A NetworkPolicyPeer, as Kubernetes spells it. */
const networkPolicyPeer = z.strictObject({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  ipBlock: z.strictObject({ cidr: cidr, except: z.array(cidr).optional() }).optional(),
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
        .array(cidr)
        .default(['0.0.0.0/0'])
        .describe(
          `CIDRs ${who} may reach. One inside a \`block\` range is reachable all the same (e.g. an in-cluster service's address).`,
        ),
      block: z
        .array(cidr)
        .default(DEFAULT_BLOCKED)
        .describe(
          'CIDRs taken out of the `allow` ranges that hold them: cloud metadata and in-cluster ranges.',
        ),
    })
    .refine(({ allow, block }) => !allow.some((range) => block.some((b) => sameRange(b, range))), {
      error: ({ input }) => {
        const { allow = [], block = [] } = input as { allow?: string[]; block?: string[] };
        const both = allow.filter((range) => block.some((b) => sameRange(b, range)));
        return `${both.join(', ')} is both allowed and blocked: take it out of one of the lists`;
      },
    })
    .prefault({});
}

/** Whether two CIDRs are the same range (`10.0.0.0/8` and `10.1.0.0/8`; `::/0` and `0::/0`). */
function sameRange(a: string, b: string): boolean {
  if (!isCidr(a) || !isCidr(b)) return false;
  const [aAddress, aBits] = ipaddr.parseCIDR(a);
  const [bAddress, bBits] = ipaddr.parseCIDR(b);
  return aAddress.kind() === bAddress.kind() && aBits === bBits && aAddress.match(bAddress, aBits);
}

const toleration = z.strictObject({
  key: z.string().optional().describe('The taint key the toleration matches.'),
  operator: z.enum(['Exists', 'Equal']).optional().describe('How the key is matched.'),
  value: z.string().optional().describe('The taint value, with `Equal`.'),
  effect: z
    .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
    .optional()
    .describe('The taint effect tolerated.'),
  tolerationSeconds: z
    .number()
    .int()
    .optional()
    .describe('How long a `NoExecute` taint is tolerated.'),
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
      workspaceSize: quantity('bytes')
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
          memory: quantity('bytes').default('4Gi').describe('Memory of a build pod (a quantity).'),
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
      memory: quantity('bytes')
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
          limit: quantity('bytes')
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
        .array(cidr)
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
            .array(z.union([cidr, networkPolicyPeer]))
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
