import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { IConfigMap, ISecret, IService } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, parseConfig } from '../../server/src/config.js';
import { tempFolder } from '../../server/src/test-support/temp-folder.js';
import { CHART, one, renderChart } from './support/helm.js';
import type { Manifest } from './support/helm.js';
import { VALUES_SCHEMA, valuesSchema } from '../helm/values-schema.js';
import { validateManifest } from './support/kubernetes-schemas.js';

const run = promisify(execFile);
const FULL_VALUES = join(CHART, 'ci/full-values.yaml');

/**
 * What the kubernetes backend calls, by `<apiGroup>/<resource>` (docs/server.md, "RBAC the
 * backend needs"); the Role may grant nothing else.
 */
const BACKEND_RBAC: Record<string, string[]> = {
  '/pods': ['create', 'get', 'list', 'watch', 'delete', 'patch'],
  '/pods/log': ['get'],
  '/pods/attach': ['create', 'get'],
  'networking.k8s.io/networkpolicies': ['get', 'create', 'update'],
};

/** The Role's grants as `<apiGroup>/<resource>` -> verbs. */
function grants(role: IRole): Record<string, string[]> {
  const granted: Record<string, string[]> = {};
  for (const rule of role.rules ?? []) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        granted[`${group}/${resource}`] = [
          ...(granted[`${group}/${resource}`] ?? []),
          ...rule.verbs,
        ];
      }
    }
  }
  return granted;
}

/**
 * Values the templates read with `default`, `with` or `if`, which may be absent; every other
 * value they read the schema requires, so null (`--set x=null` deletes a default) is refused
 * with a schema message rather than a template error or a silently different object.
 */
const OPTIONAL_VALUES = [
  'config.host',
  'config.instanceId',
  'config.kubernetes.builder',
  'config.kubernetes.namespace',
  'config.kubernetes.registry.pushSecret',
  'image.tag',
  'imagePullSecrets',
  'secrets.existingSecret',
  'serviceAccount.name',
];

/** The part of a JSON schema `requiredBy` walks. */
interface Schema {
  required?: string[];
  properties?: Record<string, Schema>;
  $ref?: string;
  allOf?: Schema[];
  definitions?: Record<string, Schema>;
}

/** Whether `schema` requires `path` (`a.b.c`) and every section above it, in any of its parts. */
function requiredBy(schema: Schema, path: string): boolean {
  /** `node` and what it refers to or joins (`$ref`, `allOf`), each a schema the value must meet. */
  const parts = (node: Schema): Schema[] => [
    node,
    ...(node.$ref
      ? parts(schema.definitions?.[node.$ref.replace('#/definitions/', '')] ?? {})
      : []),
    ...(node.allOf ?? []).flatMap(parts),
  ];
  let nodes = [schema];
  for (const key of path.split('.')) {
    const all = nodes.flatMap(parts);
    if (!all.some((node) => node.required?.includes(key))) return false;
    nodes = all.flatMap((node) => (node.properties?.[key] ? [node.properties[key]] : []));
  }
  return true;
}

const serverConfigOf = (manifests: Manifest[]) =>
  JSON.parse(one<IConfigMap>(manifests, 'ConfigMap').data?.['config.json'] ?? '') as Record<
    string,
    unknown
  >;

describe('deploy/helm/binder-cell, rendered with helm template', () => {
  it('renders with its default values: objects the Kubernetes schemas accept', async () => {
    const manifests = await renderChart();
    expect(manifests.map(({ kind }) => kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Role',
      'RoleBinding',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    for (const manifest of manifests) validateManifest(manifest);
  });

  it('renders every optional part from a full values file, each accepted by its schema', async () => {
    const manifests = await renderChart([FULL_VALUES]);
    expect(new Set(manifests.map(({ kind }) => kind))).toEqual(
      new Set([
        'ConfigMap',
        'Deployment',
        'Ingress',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ]),
    );
    for (const manifest of manifests) validateManifest(manifest);
    // Session and build pods go to the configured namespace: the Role is made there.
    expect(one(manifests, 'Role').metadata.namespace).toBe('binder-sessions');
    expect(one(manifests, 'RoleBinding').metadata.namespace).toBe('binder-sessions');
  });

  it('grants the backend exactly the verbs it uses, and no NetworkPolicy rights when the policy is off', async () => {
    for (const values of [[], [FULL_VALUES]]) {
      expect(grants(one<IRole>(await renderChart(values), 'Role'))).toEqual(BACKEND_RBAC);
    }
    const withoutPolicy = await renderChart([], ['config.kubernetes.networkPolicy.enabled=false']);
    const { 'networking.k8s.io/networkpolicies': policies, ...rest } = BACKEND_RBAC;
    expect(policies).toBeDefined();
    expect(grants(one<IRole>(withoutPolicy, 'Role'))).toEqual(rest);
  });

  it("grants in builder.namespace, when set, only what build pods need, and the sessions' namespace no attach", async () => {
    const manifests = await renderChart(
      [FULL_VALUES],
      ['config.kubernetes.builder.namespace=binder-builds'],
    );
    for (const manifest of manifests) validateManifest(manifest);
    const roles = manifests.filter((manifest) => manifest.kind === 'Role') as unknown as IRole[];
    const byNamespace = Object.fromEntries(
      roles.map((role) => [role.metadata?.namespace ?? '', grants(role)]),
    );
    const { '/pods/attach': attach, ...sessions } = BACKEND_RBAC;
    expect(attach).toBeDefined();
    expect(byNamespace).toEqual({
      'binder-sessions': sessions,
      'binder-builds': {
        ...BACKEND_RBAC,
        '/pods': ['create', 'get', 'list', 'watch', 'delete'],
      },
    });
    const bindings = manifests.filter(
      (manifest) => manifest.kind === 'RoleBinding',
    ) as unknown as IRoleBinding[];
    expect(
      bindings.map((binding) => [
        binding.metadata?.namespace,
        binding.roleRef.name,
        binding.subjects?.map((subject) => `${subject.namespace}/${subject.name}`),
      ]),
    ).toEqual([
      ['binder-sessions', 'bc-binder-cell', ['binder/bc-binder-cell']],
      ['binder-builds', 'bc-binder-cell-builds', ['binder/bc-binder-cell']],
    ]);
    const config = parseConfig(serverConfigOf(manifests));
    expect(config.kubernetes.builder.namespace).toBe('binder-builds');
  });

  it("writes a server configuration the server's own schema accepts, for the kubernetes backend", async () => {
    for (const values of [[], [FULL_VALUES]]) {
      const manifests = await renderChart(values);
      const config = parseConfig(serverConfigOf(manifests));
      expect(config).toMatchObject({ backend: 'kubernetes', host: '0.0.0.0', port: 8080 });
      // The sessions' NetworkPolicy admits the pods with these labels, in this namespace: the
      // server's own (the sessions' namespace may be another).
      const pod = one<IDeployment>(manifests, 'Deployment').spec?.template;
      expect(pod?.metadata?.labels).toEqual(config.kubernetes.networkPolicy.serverPodLabels);
      expect(config.kubernetes.networkPolicy.serverNamespace).toBe('binder');
      expect(one<IService>(manifests, 'Service').spec?.selector).toEqual(pod?.metadata?.labels);
    }
    const full = parseConfig(serverConfigOf(await renderChart([FULL_VALUES])));
    expect(full.kubernetes).toMatchObject({
      namespace: 'binder-sessions',
      registry: {
        prefix: 'registry.example.org/binder-cell',
        pushSecret: 'binder-cell-registry',
        // The server asks the registry with the push Secret, mounted into its pod.
        authFile: '/etc/binder-cell/registry/.dockerconfigjson',
      },
      builder: { kind: 'kaniko' },
    });
    expect(full.pools).toEqual([
      expect.objectContaining({ repo: 'gh/my-course/notebooks/main', size: 10 }),
    ]);
    expect(full.admission.resources.rules).toEqual([
      { pattern: 'gh/my-org/**', memory: '8g', cpus: 4 },
    ]);
    expect(full.allowOrigins).toContain('https://book.example.org');
    // Secrets stay out of the ConfigMap.
    expect(full.admission.apiKeys).toEqual([]);
    expect(full.metrics.token).toBeUndefined();
  });

  it('listens where config.host says (`::` on IPv6 single-stack clusters), 0.0.0.0 unless set', async () => {
    expect(parseConfig(serverConfigOf(await renderChart())).host).toBe('0.0.0.0');
    for (const host of ['::', '10.0.0.7']) {
      const config = parseConfig(serverConfigOf(await renderChart([], [`config.host=${host}`])));
      expect(config.host).toBe(host);
    }
  });

  it('refuses to render without an instance id, which every replica must share', async () => {
    await expect(renderChart([], ['config.instanceId=null'])).rejects.toThrow(
      /config\.instanceId is required: every replica must share it/,
    );
  });

  it('refuses values its schema does not accept, naming the value', async () => {
    const refusals: [string, RegExp][] = [
      ['replicaCount=-1', /replicaCount: Must be greater than or equal to 1/],
      ['config=null', /config is required/],
      ['config.kubernetes=null', /config: kubernetes is required/],
      [
        'config.kubernetes.registry.prefix=Registry.Example.org/BC',
        /registry\.prefix: Does not match/,
      ],
      ['config.instanceId=course-', /config\.instanceId: Does not match/],
      ['ingress=null', /ingress is required/],
      // A null section or value the templates read is the schema's to refuse, not a template error.
      ['ingress.annotations=null', /ingress: annotations is required/],
      ['ingress.className=null', /ingress: className is required/],
      ['config.kubernetes.networkPolicy.enabled=null', /networkPolicy: enabled is required/],
      ['podDisruptionBudget.minAvailable=null', /podDisruptionBudget: minAvailable is required/],
      ['config.kubernetes.namespace=Binder_Sessions', /kubernetes\.namespace: Does not match/],
      ['config.kubernetes.builder.namespace=builds.', /builder\.namespace: Does not match/],
      ['config.kubernetes.sessions.memory=lots', /sessions\.memory: Does not match/],
      ['config.kubernetes.sessions.cpu=one', /sessions\.cpu: Does not match/],
      ['config.kubernetes.sessions.cpu=0m', /sessions\.cpu: Does not match/],
      [
        'config.kubernetes.sessions.ephemeralStorage.limit=4GB',
        /ephemeralStorage\.limit: Does not match/,
      ],
      ['config.kubernetes.builder.resources.memory=-4Gi', /resources\.memory: Does not match/],
      ['config.kubernetes.builder.workspaceSize=20 GB', /workspaceSize: Does not match/],
      [
        'config.kubernetes.networkPolicy.egress.block={10.0.0.0/33}',
        /egress\.block\.0: Does not match/,
      ],
      [
        'config.kubernetes.networkPolicy.egress.allow={999.1.1.1/8}',
        /egress\.allow\.0: Does not match/,
      ],
      [
        'config.kubernetes.networkPolicy.builds.egress.block={fd00::/129}',
        /builds\.egress\.block\.0: Does not match/,
      ],
      // Every key of the server's configuration, through its own schema: what the server
      // would refuse, crash-looping, Helm refuses.
      ['config.kubernetes.sessions.cpu=0.0001', /sessions\.cpu: Does not match/],
      ['config.kubernetes.sessions.cpu=1e21', /sessions\.cpu: Does not match/],
      ['config.kubernetes.sessions.memory=0Gi', /sessions\.memory: Does not match/],
      [
        'config.kubernetes.networkPolicy.dnsResolvers={169.254.20.10}',
        /dnsResolvers\.0: Does not match/,
      ],
      [
        'config.kubernetes.networkPolicy.builds.registry={10.96.0.15}',
        /registry\.0: Must validate at least one schema/,
      ],
      [
        'config.kubernetes.networkPolicy.egress.allow={1::2::3/64}',
        /egress\.allow\.0: Does not match/,
      ],
      ['config.kubernetes.registry.pushSecret=Registry_Login', /pushSecret: Does not match/],
      [
        'config.kubernetes.sessions.nodeSelector.pool=big nodes',
        /nodeSelector\.pool: Does not match/,
      ],
      ['config.admission.resources.maximum.memory=0g', /maximum\.memory: Does not match/],
      ['config.instanceId=course.2024-', /config\.instanceId: Does not match/],
      ['config.kubernetes.sessionz.cpu=1', /Additional property sessionz is not allowed/],
      // Secrets become configuration when the pod starts: the server's rules hold for them too.
      [
        'secrets.apiKeys={short}',
        /secrets\.apiKeys\.0: String length must be greater than or equal to 16/,
      ],
      ['secrets.metricsToken=tiny', /secrets\.metricsToken: Does not match/],
      ['secrets.existingSecret=Bad_Name', /secrets\.existingSecret: Does not match/],
      ['ingress.host=10.0.0.1', /ingress\.host: Does not match/],
      ['ingress.host=https://binder.example.org', /ingress\.host: Does not match/],
      // Null for a key values.yaml does not hold stays null: the schema refuses it.
      ['config.publicUrl=null', /config\.publicUrl: Invalid type\. Expected: string, given: null/],
      [
        'config.kubernetes.allowedImages=null',
        /allowedImages: Invalid type\. Expected: array, given: null/,
      ],
      [
        'config.kubernetes.builder.contextDeadlineSeconds=null',
        /contextDeadlineSeconds: Invalid type\. Expected: number, given: null/,
      ],
      [
        'config.sessions.maxSessions=many',
        /maxSessions: Invalid type\. Expected: integer, given: string/,
      ],
    ];
    for (const [value, message] of refusals) {
      await expect(renderChart([FULL_VALUES], [value]), value).rejects.toThrow(message);
    }
    // A number only a values file can give (`--set` makes 0.0001 a string).
    const tinyCpus = join(await tempFolder({}), 'tiny-cpus.yaml');
    await writeFile(
      tinyCpus,
      'config: { admission: { resources: { maximum: { memory: 2g, cpus: 0.0001 } } } }\n',
    );
    await expect(renderChart([FULL_VALUES, tinyCpus])).rejects.toThrow(
      /maximum\.cpus: Must be greater than or equal to 0\.01/,
    );
    // What those patterns accept, the server accepts too.
    const accepted = [
      'config.kubernetes.sessions.cpu=500m',
      'config.kubernetes.sessions.memory=1536Mi',
      'config.kubernetes.builder.workspaceSize=20G',
      'config.kubernetes.networkPolicy.egress.allow={0.0.0.0/0,::/0}',
      'config.kubernetes.networkPolicy.egress.block={fd00::/8,169.254.0.0/16}',
      'config.kubernetes.networkPolicy.dnsResolvers={169.254.20.10/32,fd00::10/128}',
      'config.kubernetes.sessions.cpu=0.001',
      'config.instanceId=course.2024',
      'config.publicUrl=https://binder.example.org',
    ];
    parseConfig(serverConfigOf(await renderChart([FULL_VALUES], accepted)));
  });

  it('refuses on install what the server would refuse on start, and takes what it takes', async () => {
    // The same chart without its schema: what the server would have been given.
    const unchecked = join(await tempFolder({}), 'binder-cell');
    await cp(CHART, unchecked, { recursive: true });
    await rm(join(unchecked, 'values.schema.json'));
    const serverTakes = async (set: string[]) => {
      const config = serverConfigOf(await renderChart([FULL_VALUES], set, unchecked));
      return ConfigSchema.safeParse(config).success;
    };
    const helmTakes = (set: string[]) =>
      renderChart([FULL_VALUES], set).then(
        () => true,
        () => false,
      );
    const toleration = 'config.kubernetes.sessions.tolerations[0]';
    const peer = 'config.kubernetes.networkPolicy.builds.registry[0]';
    const cases = [
      ['config.kubernetes.sessions.cpu=0.0001'],
      ['config.kubernetes.sessions.cpu=1e21'],
      ['config.kubernetes.sessions.cpu=100m'],
      ['config.kubernetes.sessions.cpu=0.001'],
      ['config.kubernetes.sessions.memory=1'],
      ['config.kubernetes.sessions.memory=63Mi'],
      ['config.kubernetes.sessions.memory=64Mi'],
      ['config.kubernetes.sessions.memory=1.5Gi'],
      ['config.publicUrl=https://'],
      ['config.publicUrl=https://:80'],
      ['config.publicUrl=https://binder.example.org:99999/'],
      ['config.publicUrl=https://binder.example.org/%'],
      ['config.publicUrl=https://user:p%ss@binder.example.org/'],
      ['config.publicUrl=file:///etc/passwd'],
      ['config.publicUrl=https://binder.example.org'],
      ['config.packages.pipExtraIndexUrls={https://pypi.example.org\\simple}'],
      ['config.admission.rateLimit.exempt={10.0.0.0/99}'],
      ['config.admission.rateLimit.exempt={10.0.0.0/8}'],
      ['config.admission.allowPrivateGitHosts={git.internal}'],
      ['config.admission.resources.maximum.memory=0.4'],
      ['config.admission.resources.maximum.memory=64m'],
      ['config.docker.limits.memory=4'],
      ['config.kubernetes.networkPolicy.dnsResolvers={::ffff:10.0.0.1/128}'],
      ['config.kubernetes.networkPolicy.dnsResolvers={fd00::10/128}'],
      ['config.kubernetes.sessions.nodeSelector.pool=big nodes'],
      ['config.kubernetes.sessions.tolerations[0].key=bad key!'],
      ['config.kubernetes.sessions.ephemeralStorage.limit=1'],
      ['config.kubernetes.builder.workspaceSize=1'],
      ['config.docker.limits.memory=9000000000g'],
      ['config.admission.rateLimit.exempt={localhost}'],
      ['config.packages.pipIndexUrl=http://pypi_mirror:8080/simple'],
      // Rules across a toleration's or a peer's fields, said in the schema with if/then.
      [`${toleration}.key=dedicated`, `${toleration}.operator=Exists`, `${toleration}.value=x`],
      [
        `${toleration}.key=spot`,
        `${toleration}.effect=NoSchedule`,
        `${toleration}.tolerationSeconds=30`,
      ],
      [`${toleration}.operator=Equal`, `${toleration}.value=x`],
      [`${toleration}.key=`, `${toleration}.operator=Exists`],
      [
        `${peer}.podSelector.matchExpressions[0].key=app`,
        `${peer}.podSelector.matchExpressions[0].operator=In`,
      ],
      [`${peer}.ipBlock.cidr=10.0.5.0/24`, `${peer}.podSelector.matchLabels.app=registry`],
      [`${peer}.namespaceSelector.matchLabels.app=registry`],
      ['config.kubernetes.builder.namespace='],
      ['config.instanceId=course-'],
      ['config.kubernetes.sessionz.cpu=1'],
    ];
    const disagreements: string[] = [];
    for (const set of cases) {
      const [helm, server] = await Promise.all([helmTakes(set), serverTakes(set)]);
      if (helm !== server) disagreements.push(`${set.join(' ')}: helm ${helm}, server ${server}`);
    }
    expect(disagreements).toEqual([]);
    // What no JSON Schema can say (comparing addresses or sizes) the server says on start,
    // naming the key.
    const acrossKeys: [string[], RegExp][] = [
      [
        ['config.kubernetes.networkPolicy.dnsResolvers={10.96.0.10/12}'],
        /10\.96\.0\.10\/12 has bits set past its prefix: write 10\.96\.0\.0\/12 for the range, or 10\.96\.0\.10\/32 for one address/,
      ],
      [
        [`${peer}.ipBlock.cidr=10.0.5.0/24`, `${peer}.ipBlock.except={10.1.0.0/16}`],
        /10\.1\.0\.0\/16 is not inside the ipBlock's cidr 10\.0\.5\.0\/24/,
      ],
      [
        ['config.kubernetes.networkPolicy.egress.allow={0.0.0.0/0,10.0.0.0/8}'],
        /10\.0\.0\.0\/8 is both allowed and blocked/,
      ],
      [
        ['config.kubernetes.sessions.ephemeralStorage.request=8Gi'],
        /ephemeral-storage request must not be more than its limit/,
      ],
    ];
    for (const [set, message] of acrossKeys) {
      expect(await helmTakes(set), set.join(' ')).toBe(true);
      const config = serverConfigOf(await renderChart([FULL_VALUES], set));
      expect(() => parseConfig(config)).toThrow(message);
    }
  });

  it("checks config with the server's own configuration schema, kept up to date", async () => {
    const committed = JSON.parse(await readFile(VALUES_SCHEMA, 'utf8')) as unknown;
    // Stale: run `npm run chart:schema` and commit the result.
    expect(committed).toEqual(await valuesSchema());
  });

  it('requires in its schema every value the templates read, but those they read as optional', async () => {
    const schema = JSON.parse(await readFile(VALUES_SCHEMA, 'utf8')) as Schema;
    const read = new Set<string>();
    for (const name of await readdir(join(CHART, 'templates'))) {
      const text = await readFile(join(CHART, 'templates', name), 'utf8');
      for (const [, path] of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) read.add(path ?? '');
    }
    const notRequired = [...read].filter((path) => !requiredBy(schema, path)).sort();
    expect(notRequired).toEqual(OPTIONAL_VALUES);
    // Those the templates read as optional: null renders, or the schema or the chart's own
    // `required` names it (never a Go template error, `template: ...: error calling`).
    for (const path of OPTIONAL_VALUES) {
      await renderChart([FULL_VALUES], [`${path}=null`]).then(
        (manifests) => manifests.forEach(validateManifest),
        (error: unknown) =>
          expect(String(error)).toMatch(
            /Invalid type\. Expected: \w+, given: null|execution error at \(binder-cell\/templates\/[\w.]+:\d+:\d+\): \S+ is required/,
          ),
      );
    }
  });

  it('asks /ready for readiness, or /health when readinessPath says so (an API server outage)', async () => {
    const probePath = async (set: string[]) =>
      one<IDeployment>(await renderChart([], set), 'Deployment').spec?.template.spec?.containers[0]
        ?.readinessProbe?.httpGet?.path;
    expect(await probePath([])).toBe('/ready');
    expect(await probePath(['readinessPath=/health'])).toBe('/health');
    await expect(renderChart([], ['readinessPath=/'])).rejects.toThrow(
      /readinessPath must be one of/,
    );
  });

  it('refuses a PodDisruptionBudget that would keep every replica from being evicted, as a count or a percentage', async () => {
    const refused: [string, string][] = [
      ['replicaCount=1', 'minAvailable (1)'],
      // --set gives an int64, a values file a float64.
      ['podDisruptionBudget.minAvailable=3', 'minAvailable (3)'],
      ['podDisruptionBudget.minAvailable=100%', 'minAvailable (100%)'],
      // Kubernetes rounds a percentage up: 67% of 3 is 3.
      ['podDisruptionBudget.minAvailable=67%', 'minAvailable (67%)'],
    ];
    for (const [value, named] of refused) {
      await expect(renderChart([FULL_VALUES], [value])).rejects.toThrow(
        `podDisruptionBudget.${named} must keep fewer than replicaCount (`,
      );
    }
    await expect(
      renderChart([], ['podDisruptionBudget.enabled=true', 'podDisruptionBudget.minAvailable=2']),
    ).rejects.toThrow('minAvailable (2) must keep fewer than replicaCount (2)');
    for (const [minAvailable, kept] of [
      ['2', 2],
      ['66%', '66%'],
    ] as const) {
      const manifests = await renderChart(
        [FULL_VALUES],
        [`podDisruptionBudget.minAvailable=${minAvailable}`],
      );
      const budget = one(manifests, 'PodDisruptionBudget');
      validateManifest(budget);
      expect(budget.spec).toMatchObject({ minAvailable: kept });
    }
    await expect(
      renderChart([FULL_VALUES], ['podDisruptionBudget.minAvailable=half']),
    ).rejects.toThrow(/podDisruptionBudget\.minAvailable: Must validate one and only one schema/);
  });

  it('rolls the pods when the API keys or metrics token change (they are read only when a pod starts)', async () => {
    const checksum = async (set: string[]) =>
      one<IDeployment>(await renderChart([FULL_VALUES], set), 'Deployment').spec?.template.metadata
        ?.annotations?.['checksum/secret'];
    const before = await checksum([]);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum(['secrets.apiKeys={key-for-the-course-site-0003}'])).not.toBe(before);
    expect(await checksum(['secrets.metricsToken=another-long-random-token'])).not.toBe(before);
    // A Secret of the operator's own is not the chart's to read: no checksum (docs say restart).
    expect(await checksum(['secrets.existingSecret=my-keys'])).toBeUndefined();
  });

  it("adds the Secret's API keys and metrics token to the configuration when the pod starts", async () => {
    const manifests = await renderChart([FULL_VALUES]);
    const configMap = one<IConfigMap>(manifests, 'ConfigMap').data ?? {};
    const secret = one<ISecret>(manifests, 'Secret').stringData ?? {};
    const dir = await tempFolder({});
    await mkdir(join(dir, 'chart'));
    await mkdir(join(dir, 'secret'));
    for (const [name, text] of Object.entries(configMap))
      await writeFile(join(dir, 'chart', name), text);
    for (const [name, text] of Object.entries(secret))
      await writeFile(join(dir, 'secret', name), text);

    // The command line of the pod's init container, run with this machine's node.
    const init = one<IDeployment>(manifests, 'Deployment').spec?.template.spec?.initContainers?.[0];
    const [node, script, config, secretDir, target] = init?.command ?? [];
    expect([node, script, config, secretDir, target]).toEqual([
      'node',
      '/etc/binder-cell/chart/merge-secrets.mjs',
      '/etc/binder-cell/chart/config.json',
      '/etc/binder-cell/secret',
      '/run/binder-cell/config.json',
    ]);
    await run(process.execPath, [
      join(dir, 'chart/merge-secrets.mjs'),
      join(dir, 'chart/config.json'),
      join(dir, 'secret'),
      join(dir, 'config.json'),
    ]);
    const merged = parseConfig(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
    expect(merged.admission.apiKeys).toEqual([
      'key-for-the-course-site-0001',
      'key-for-the-lab-site-00000002',
    ]);
    expect(merged.metrics.token).toBe('a-long-random-metrics-token');
    expect(merged.kubernetes.registry.prefix).toBe('registry.example.org/binder-cell');
  });

  it('runs the server non-root, ready on /health, and keeps ingress-nginx from cutting event streams', async () => {
    const manifests = await renderChart([FULL_VALUES]);
    const spec = one<IDeployment>(manifests, 'Deployment').spec;
    expect(spec?.replicas).toBe(3);
    expect(spec?.template.spec?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
    });
    const [server] = spec?.template.spec?.containers ?? [];
    expect(server?.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(server?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const annotations = one<IIngress>(manifests, 'Ingress').metadata?.annotations;
    expect(annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
  });
});
