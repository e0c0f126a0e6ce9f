import { describe, expect, it } from 'vitest';
import { kubernetesSettings } from './config.js';

/** The issues zod reports for `input`, as `path: message` lines. */
function refusal(input: Record<string, unknown>): string {
  const parsed = kubernetesSettings.safeParse(input);
  if (parsed.success) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
}

describe('the kubernetes section refuses on start what the API server would refuse later', () => {
  it.each([
    [{ sessions: { memory: 'lots' } }, 'sessions.memory', '"lots"'],
    [{ sessions: { cpu: 'one' } }, 'sessions.cpu', '"one"'],
    [{ sessions: { cpu: '0' } }, 'sessions.cpu', '"0"'],
    [{ sessions: { memory: '1.5Gi' } }, 'sessions.memory', '"1.5Gi"'],
    [{ builder: { resources: { memory: '4 GiB' } } }, 'builder.resources.memory', '"4 GiB"'],
    [{ builder: { resources: { cpu: '2 cores' } } }, 'builder.resources.cpu', '"2 cores"'],
    [{ builder: { resources: { cpu: '0.5m' } } }, 'builder.resources.cpu', '"0.5m"'],
    [{ builder: { workspaceSize: '20 GB' } }, 'builder.workspaceSize', '"20 GB"'],
    // Less than the 1m the kubelet can give (a 0m limit), or past what formats as a number.
    [{ sessions: { cpu: '0.0001' } }, 'sessions.cpu', '"0.0001"'],
    [{ sessions: { cpu: '1e21' } }, 'sessions.cpu', '"1e21"'],
    [{ sessions: { cpu: '1000000000000000000000' } }, 'sessions.cpu', '"1000000000000000000000"'],
    [{ sessions: { memory: '0Gi' } }, 'sessions.memory', '"0Gi"'],
    // Less than a pod can start in.
    [{ sessions: { memory: '1' } }, 'sessions.memory', '"1"'],
    [{ sessions: { memory: '63Mi' } }, 'sessions.memory', '"63Mi"'],
    [{ builder: { resources: { memory: '67M' } } }, 'builder.resources.memory', '"67M"'],
    [
      { sessions: { memory: '9999999999999999999999Ki' } },
      'sessions.memory',
      '"9999999999999999999999Ki"',
    ],
    [
      { sessions: { ephemeralStorage: { limit: '4gb' } } },
      'sessions.ephemeralStorage.limit',
      '"4gb"',
    ],
  ])('refuses the quantity in %j, naming the field and the value', (input, path, value) => {
    const message = refusal(input);
    expect(message).toContain(`${path}: ${value} is no Kubernetes quantity`);
  });

  it('takes the quantities Kubernetes takes, as bytes or CPUs', () => {
    const settings = kubernetesSettings.parse({
      sessions: { memory: '512Mi', cpu: '500m' },
      builder: { resources: { memory: '8G', cpu: '1.5' }, workspaceSize: '50Gi' },
    });
    expect(settings.sessions).toMatchObject({ memory: '512Mi', cpu: '500m' });
    expect(settings.builder.resources).toEqual({ memory: '8G', cpu: '1.5' });
    for (const cpu of ['0.001', '0.01', '1m', '9999.999', '64']) {
      expect(kubernetesSettings.parse({ sessions: { cpu } }).sessions.cpu).toBe(cpu);
    }
  });

  it.each([
    [{ namespace: 'Binder_Sessions' }, 'namespace', 'is no namespace name'],
    [{ builder: { namespace: 'builds.' } }, 'builder.namespace', 'is no namespace name'],
    [
      { networkPolicy: { serverNamespace: '' } },
      'networkPolicy.serverNamespace',
      'is no namespace',
    ],
    [{ registry: { pushSecret: 'Registry Login' } }, 'registry.pushSecret', 'is no object name'],
    [
      { sessions: { imagePullSecrets: ['a_b'] } },
      'sessions.imagePullSecrets.0',
      'is no object name',
    ],
    [
      { sessions: { nodeSelector: { pool: 'big nodes' } } },
      'sessions.nodeSelector.pool',
      'is no label value',
    ],
    [
      { builder: { nodeSelector: { '/pool': 'big' } } },
      'builder.nodeSelector./pool',
      'Invalid key in record',
    ],
  ])('refuses the name in %j, naming the field', (input, path, message) => {
    expect(refusal(input)).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: .*${message}`, 'm'));
  });

  it('refuses a range both allowed and blocked, and lets an allowed range inside a blocked one through', () => {
    expect(refusal({ networkPolicy: { egress: { allow: ['0.0.0.0/0', '10.0.0.0/8'] } } })).toBe(
      'networkPolicy.egress: 10.0.0.0/8 is both allowed and blocked: take it out of one of the lists',
    );
    expect(
      refusal({ networkPolicy: { builds: { egress: { allow: ['::/0'], block: ['0::/0'] } } } }),
    ).toMatch(/^networkPolicy\.builds\.egress: ::\/0 is both allowed and blocked/);
    const settings = kubernetesSettings.parse({
      networkPolicy: { egress: { allow: ['0.0.0.0/0', '10.20.0.0/16'] } },
    });
    expect(settings.networkPolicy.egress.allow).toEqual(['0.0.0.0/0', '10.20.0.0/16']);
  });

  it.each([
    [{ networkPolicy: { egress: { allow: ['10.0.0.0/33'] } } }, 'networkPolicy.egress.allow.0'],
    [{ networkPolicy: { egress: { block: ['999.1.1.1/8'] } } }, 'networkPolicy.egress.block.0'],
    [
      { networkPolicy: { builds: { egress: { allow: ['2001:db8::/129'] } } } },
      'networkPolicy.builds.egress.allow.0',
    ],
    [
      { networkPolicy: { builds: { registry: ['10.96.0.15'] } } },
      'networkPolicy.builds.registry.0',
    ],
    [{ networkPolicy: { dnsResolvers: ['169.254.20.10'] } }, 'networkPolicy.dnsResolvers.0'],
  ])('refuses the address range in %j, naming the field', (input, path) => {
    expect(refusal(input)).toMatch(
      new RegExp(`^${path.replace(/\./g, '\\.')}: .* is no CIDR`, 'm'),
    );
  });

  it.each([
    [
      { key: 'dedicated', operator: 'Exists', value: 'binder', effect: 'NoSchedule' },
      'a toleration with operator Exists has no value',
    ],
    [
      {
        key: 'spot',
        operator: 'Equal',
        value: 'true',
        effect: 'NoSchedule',
        tolerationSeconds: 30,
      },
      'tolerationSeconds needs effect NoExecute',
    ],
    [{ operator: 'Equal', value: 'x' }, 'a toleration without a key needs operator Exists'],
    [{ value: 'x' }, 'a toleration without a key needs operator Exists'],
    [{ key: 'bad key!', operator: 'Exists' }, '"bad key!" is no label key'],
    [{ key: 'pool', value: 'big nodes' }, '"big nodes" is no label value'],
  ])('refuses the toleration %j, saying why, as the API server would', (toleration, message) => {
    expect(refusal({ sessions: { tolerations: [toleration] } })).toContain(message);
    expect(refusal({ builder: { tolerations: [toleration] } })).toContain(message);
  });

  it('takes the tolerations Kubernetes takes', () => {
    const tolerations = [
      { key: 'dedicated', operator: 'Equal', value: 'binder', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists' },
      { operator: 'Exists' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: '', operator: 'Exists' },
    ];
    expect(kubernetesSettings.parse({ sessions: { tolerations } }).sessions.tolerations).toEqual(
      tolerations,
    );
  });

  it.each([
    [{ ipBlock: { cidr: '10.0.5.0/24', except: ['10.1.0.0/16'] } }, 'is not inside the ipBlock'],
    [{ ipBlock: { cidr: '10.0.5.0/24', except: ['10.0.5.0/24'] } }, 'is not inside the ipBlock'],
    [{}, 'a peer needs a podSelector, a namespaceSelector or an ipBlock'],
    [
      { ipBlock: { cidr: '10.0.5.0/24' }, podSelector: {} },
      'a peer has an ipBlock or selectors, not both',
    ],
    [
      { podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      "a label selector's In needs values",
    ],
    [
      { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } },
      "a label selector's Exists has no values",
    ],
    [
      { podSelector: { matchExpressions: [{ key: 'a b', operator: 'Exists' }] } },
      '"a b" is no label key',
    ],
  ])('refuses the registry peer %j, saying why, as the API server would', (peer, message) => {
    expect(refusal({ networkPolicy: { builds: { registry: [peer] } } })).toContain(message);
  });

  it('takes registry peers Kubernetes takes', () => {
    const registry = [
      '10.96.0.15/32',
      { ipBlock: { cidr: '10.0.5.0/24', except: ['10.0.5.128/25'] } },
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'registry' } },
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['registry'] }] },
      },
    ];
    expect(
      kubernetesSettings.parse({ networkPolicy: { builds: { registry } } }).networkPolicy.builds
        .registry,
    ).toEqual(registry);
  });
});
