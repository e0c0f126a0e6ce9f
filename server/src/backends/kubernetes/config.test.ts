import { describe, expect, it } from 'vitest';
import { isCidr, kubernetesSettings } from './config.js';

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

  it('tells CIDRs from what only looks like one', () => {
    for (const valid of [
      '0.0.0.0/0',
      '10.0.0.0/8',
      '169.254.169.254/32',
      '::/0',
      '2001:db8::/32',
      '1:2:3:4:5:6:7:8/128',
      '::ffff:192.0.2.1/128',
      'fe80::/10',
    ]) {
      expect(isCidr(valid), valid).toBe(true);
    }
    for (const invalid of [
      '10.0.0.0/33',
      '999.1.1.1/8',
      '10/8',
      '010.0.0.0/8',
      '0xa.0.0.0/8',
      '::/129',
      '1:2:3:4:5:6:7:8:9/64',
      '1::2::3/64',
      'fe80::g/64',
      '::ffff:192.0.2.256/128',
      'fe80::1%eth0/64',
      '10.0.0.0',
      '10.0.0.0/8/8',
      '10.0.0.0/-1',
    ]) {
      expect(isCidr(invalid), invalid).toBe(false);
    }
  });
});
