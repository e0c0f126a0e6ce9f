import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { IConfigMap, ISecret, IService } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/src/config.js';
import { tempFolder } from '../../server/src/test-support/temp-folder.js';
import { CHART, one, renderChart } from './support/helm.js';
import type { Manifest } from './support/helm.js';
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
    ];
    for (const [value, message] of refusals) {
      await expect(renderChart([], [value])).rejects.toThrow(message);
    }
  });

  it('refuses a PodDisruptionBudget that would keep every replica from being evicted', async () => {
    await expect(
      renderChart([], ['podDisruptionBudget.enabled=true', 'replicaCount=1']),
    ).rejects.toThrow(/minAvailable \(1\) must be below replicaCount \(1\)/);
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
    expect(server?.readinessProbe?.httpGet?.path).toBe('/health');
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
