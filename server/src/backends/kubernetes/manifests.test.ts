import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Pod } from 'kubernetes-models/v1';
import type { IPod } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUSH_IMAGE, kubernetesSettings } from './config.js';
import type { KubernetesSettings } from './config.js';
import { sessionPodMetadata } from './labels.js';
import { buildNetworkPolicy, buildPod } from './build-manifests.js';
import { sessionNetworkPolicy, sessionPod } from './manifests.js';
import { quantities } from './session-pods.js';
import { tempFolder } from '../../test-support/temp-folder.js';

const run = promisify(execFile);

/** An object as @kubernetes/client-node sends it (its models rename fields such as `from`). */
function wire(object: V1Pod | V1NetworkPolicy, type: string): unknown {
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(object, type, '')));
}

function validPod(pod: V1Pod): void {
  new Pod(wire(pod, 'V1Pod') as IPod).validate();
}

const SESSION = {
  id: '3b7e4a52-0c1d-4a1e-9d55-2f3e4b5c6d7e',
  tokenHash: 'a'.repeat(64),
  kernel: 'python3',
  repo: 'gh/org/repo/0123456789abcdef0123456789abcdef01234567',
  ref: '0123456789abcdef0123456789abcdef01234567',
  repoUrl: 'https://github.com/org/repo',
  refUrl: 'https://github.com/org/repo/tree/0123456789abcdef0123456789abcdef01234567',
  createdAt: 1_700_000_000_000,
};

/** The default DNS rule: pods anywhere, NodeLocal DNSCache and Cloud DNS for GKE, port 53. */
const DNS_DEFAULT = {
  to: [
    { namespaceSelector: {} },
    { ipBlock: { cidr: '169.254.20.10/32' } },
    { ipBlock: { cidr: '169.254.169.254/32' } },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

function settingsWith(input: Record<string, unknown> = {}): KubernetesSettings {
  return kubernetesSettings.parse(input);
}

/** The session and the build NetworkPolicy `settings` make, as sent, each validated. */
function bothPolicies(settings: KubernetesSettings): INetworkPolicy[] {
  const policies = [
    sessionNetworkPolicy({
      name: 'sessions',
      instanceId: 'binder-cell',
      port: 8888,
      serverNamespace: 'binder',
      settings: settings.networkPolicy,
    }),
    buildNetworkPolicy({
      name: 'builds',
      instanceId: 'binder-cell',
      settings: settings.networkPolicy.builds,
      dnsResolvers: settings.networkPolicy.dnsResolvers,
    }),
  ];
  return policies.map((policy) => {
    const sent = wire(policy, 'V1NetworkPolicy') as INetworkPolicy;
    new NetworkPolicy(sent).validate();
    return sent;
  });
}

function build(input: Record<string, unknown>): V1Pod {
  return buildPod({
    name: 'binder-cell-build-0123',
    instanceId: 'binder-cell',
    buildHash: '0123',
    tag: 'registry.example.org/bc/env:0123',
    dockerfile: 'Dockerfile',
    buildargs: { BINDER_BASE_IMAGE: 'registry.example.org/bc/base:bookworm' },
    labels: { 'org.binder-cell.buildpack': 'pip' },
    settings: settingsWith(input),
  });
}

/** The Secrets each container of a pod (init containers too) mounts, by container name. */
function secretsMountedBy(pod: V1Pod): Record<string, string[]> {
  const secretOf = new Map(
    (pod.spec?.volumes ?? []).flatMap((volume) =>
      volume.secret?.secretName ? [[volume.name, volume.secret.secretName] as const] : [],
    ),
  );
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return Object.fromEntries(
    containers.map((container) => [
      container.name,
      (container.volumeMounts ?? []).flatMap((mount) => secretOf.get(mount.name) ?? []),
    ]),
  );
}

function session(settings: KubernetesSettings, pool?: string): V1Pod {
  return sessionPod({
    name: `binder-cell-${SESSION.id}`,
    ...sessionPodMetadata('binder-cell', { ...SESSION, ...(pool ? { pool } : {}) }, 'r/x:1', 2e12),
    image: 'registry.example.org/binder-cell/session:0123',
    start: '/home/jovyan/start',
    token: 'internal-token',
    ...quantities(settings.sessions, { memoryBytes: 2 * 1024 ** 3, cpus: 1.5 }),
    settings: settings.sessions,
  });
}

describe('the manifests the kubernetes backend creates', () => {
  it('makes session pods the Pod schema accepts, hardened as docs/server.md says', () => {
    const settings = settingsWith({
      sessions: {
        nodeSelector: { pool: 'sessions' },
        tolerations: [{ key: 'sessions', operator: 'Exists', effect: 'NoSchedule' }],
        imagePullSecrets: ['pull'],
      },
    });
    const pod = session(settings, JSON.stringify(['gh/org/repo/main', 'python3']));
    validPod(pod);
    const container = pod.spec?.containers[0];
    expect(pod.spec?.automountServiceAccountToken).toBe(false);
    expect(container?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.resources).toEqual({
      requests: { memory: String(2 * 1024 ** 3), cpu: '150m', 'ephemeral-storage': '256Mi' },
      limits: { memory: String(2 * 1024 ** 3), cpu: '1500m', 'ephemeral-storage': '4Gi' },
    });
    expect(pod.metadata?.labels).toMatchObject({
      'app.kubernetes.io/component': 'session',
      'org.binder-cell.session': SESSION.id,
      'org.binder-cell.pooled': 'true',
    });
    expect(pod.metadata?.annotations).toMatchObject({
      'org.binder-cell.repo': SESSION.repo,
      'org.binder-cell.token-hash': SESSION.tokenHash,
      'org.binder-cell.claimed': 'false',
    });
  });

  it('makes build pods the Pod schema accepts, for buildkit and kaniko, with and without push and pull secrets', () => {
    for (const kind of ['buildkit', 'kaniko']) {
      for (const pushSecret of [undefined, 'registry-push']) {
        for (const pullSecret of [undefined, 'registry-pull']) {
          const pod = build({
            builder: { kind },
            registry: { prefix: 'registry.example.org/bc', insecure: true, pushSecret, pullSecret },
          });
          validPod(pod);
          expect(pod.spec?.initContainers?.[0]).toMatchObject({ stdin: true, stdinOnce: true });
          expect(pod.spec?.activeDeadlineSeconds).toBe(1800);
          // Rootless BuildKit's AppArmor setting, as the field (1.30 on) and the annotation
          // (older API servers, which drop the field); the two agree.
          const profile = pod.spec?.initContainers?.[1]?.securityContext?.appArmorProfile?.type;
          const annotation =
            pod.metadata?.annotations?.['container.apparmor.security.beta.kubernetes.io/build'];
          expect([profile, annotation]).toEqual(
            kind === 'buildkit' ? ['Unconfined', 'unconfined'] : [undefined, undefined],
          );
          expect(secretsMountedBy(pod)).toEqual({
            context: [],
            build: pullSecret ? [pullSecret] : [],
            push: pushSecret ? [pushSecret] : [],
          });
        }
      }
    }
  });

  it('runs the build as an init container that writes a tarball and pushes nothing; the push step comes after it', () => {
    for (const kind of ['buildkit', 'kaniko']) {
      const pod = build({
        builder: { kind },
        registry: { prefix: 'registry.example.org/bc', pushSecret: 'registry-push' },
      });
      expect(pod.spec?.initContainers?.map((container) => container.name)).toEqual([
        'context',
        'build',
      ]);
      expect(pod.spec?.containers.map((container) => container.name)).toEqual(['push']);
      const args = (pod.spec?.initContainers?.[1]?.args ?? []).join(' ');
      expect(args).toContain(
        kind === 'buildkit'
          ? '--output=type=docker,name=registry.example.org/bc/env:0123,dest=/workspace/image.tar'
          : '--no-push --tar-path=/workspace/image.tar',
      );
      expect(args).not.toMatch(/push=true/);
      const push = pod.spec?.containers[0];
      expect(push?.image).toBe(DEFAULT_PUSH_IMAGE);
      expect(push?.args).toEqual(['/workspace/image.tar', 'registry.example.org/bc/env:0123']);
      expect(push?.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('pushes only a regular file left at the tarball path: a symbolic link or a folder there is refused', async () => {
    const pod = build({ registry: { prefix: 'registry.example.org/bc', insecure: true } });
    const push = pod.spec?.containers[0];
    const [shell, ...script] = push?.command ?? [];
    const [, ...rest] = push?.args ?? [];
    const dir = await tempFolder({ 'image.tar': 'a tarball', 'secret.json': '{}' });
    // A stand-in for crane that prints what it was asked to do.
    await writeFile(join(dir, 'crane'), '#!/bin/sh\necho "crane $*"\n', { mode: 0o755 });
    await symlink(join(dir, 'secret.json'), join(dir, 'link.tar'));
    await mkdir(join(dir, 'folder.tar'));
    const pushing = (tarball: string) =>
      run(shell ?? 'sh', [...script, join(dir, tarball), ...rest], {
        env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
      });
    await expect(pushing('image.tar')).resolves.toMatchObject({
      stdout: `crane push ${join(dir, 'image.tar')} registry.example.org/bc/env:0123 --insecure\n`,
    });
    for (const planted of ['link.tar', 'folder.tar', 'missing.tar']) {
      await expect(pushing(planted)).rejects.toMatchObject({
        code: 1,
        stderr: `the build left no image tarball at ${join(dir, planted)}\n`,
      });
    }
  });

  it("gives the build pod's workspace the configured size limit, and an insecure registry to the pusher", () => {
    const pod = build({
      builder: { workspaceSize: '5Gi', pushImage: 'registry.example.org/tools/crane:debug' },
      registry: { prefix: 'registry.example.org/bc', insecure: true },
    });
    const workspace = pod.spec?.volumes?.find((volume) => volume.name === 'workspace');
    expect(workspace?.emptyDir?.sizeLimit).toBe('5Gi');
    expect(pod.spec?.containers[0]?.image).toBe('registry.example.org/tools/crane:debug');
    expect(pod.spec?.containers[0]?.args).toContain('--insecure');
  });

  it("makes a NetworkPolicy the schema accepts: in from the server's pods in their own namespace only, out minus the blocked ranges, and DNS", () => {
    const settings = settingsWith({
      networkPolicy: { egress: { allow: ['0.0.0.0/0', '10.20.0.0/16', '2001:db8::/32'] } },
    });
    const policy = sessionNetworkPolicy({
      name: 'binder-cell-sessions-binder-cell',
      instanceId: 'binder-cell',
      port: 8888,
      serverNamespace: 'binder',
      settings: settings.networkPolicy,
    });
    const sent = wire(policy, 'V1NetworkPolicy') as INetworkPolicy;
    new NetworkPolicy(sent).validate();
    expect(sent.spec?.ingress?.[0]?.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'binder' } },
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'binder-cell',
            'app.kubernetes.io/component': 'server',
          },
        },
      },
    ]);
    expect(sent.spec?.egress?.[0]?.to).toEqual([
      {
        ipBlock: {
          cidr: '0.0.0.0/0',
          except: ['169.254.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
        },
      },
      // Allowed inside a blocked range: the operator's choice, and `except` must lie inside.
      { ipBlock: { cidr: '10.20.0.0/16' } },
      { ipBlock: { cidr: '2001:db8::/32' } },
    ]);
    expect(sent.spec?.egress?.[1]).toEqual(DNS_DEFAULT);
  });

  it('lets sessions and builds reach DNS resolvers that are no pods, on port 53 only, though `block` holds them (NodeLocal DNSCache, Cloud DNS for GKE)', () => {
    const settings = settingsWith({
      networkPolicy: { dnsResolvers: ['169.254.20.10/32', '10.0.0.10/32'] },
    });
    for (const sent of bothPolicies(settings)) {
      const toResolvers = sent.spec?.egress?.filter((rule) =>
        rule.to?.some((peer) => peer.ipBlock?.cidr === '169.254.20.10/32'),
      );
      expect(toResolvers).toEqual([
        {
          to: [
            { namespaceSelector: {} },
            { ipBlock: { cidr: '169.254.20.10/32' } },
            { ipBlock: { cidr: '10.0.0.10/32' } },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ]);
    }
  });

  it("limits a session pod's local disk as configured, and refuses a request over the limit", () => {
    const pod = session(
      settingsWith({ sessions: { ephemeralStorage: { limit: '10G', request: '1Gi' } } }),
    );
    validPod(pod);
    expect(pod.spec?.containers[0]?.resources).toMatchObject({
      requests: { 'ephemeral-storage': '1Gi' },
      limits: { 'ephemeral-storage': '10G' },
    });
    expect(() =>
      settingsWith({ sessions: { ephemeralStorage: { limit: '1Gi', request: '2Gi' } } }),
    ).toThrow(/ephemeral-storage request must not be more than its limit/);
    expect(() => settingsWith({ sessions: { ephemeralStorage: { limit: 'lots' } } })).toThrow(
      /limit/,
    );
  });

  it('makes a build NetworkPolicy the schema accepts: nothing in; out minus the blocked ranges, DNS, and the registry', () => {
    const settings = settingsWith({
      networkPolicy: {
        builds: {
          registry: [
            '10.96.0.15/32',
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'registry' } },
              podSelector: { matchLabels: { app: 'registry' } },
            },
          ],
        },
      },
    });
    const policy = buildNetworkPolicy({
      name: 'binder-cell-builds-binder-cell',
      instanceId: 'binder-cell',
      settings: settings.networkPolicy.builds,
      dnsResolvers: settings.networkPolicy.dnsResolvers,
    });
    const sent = wire(policy, 'V1NetworkPolicy') as INetworkPolicy;
    new NetworkPolicy(sent).validate();
    expect(sent.spec?.podSelector.matchLabels).toMatchObject({
      'app.kubernetes.io/component': 'build',
    });
    expect(sent.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(sent.spec?.ingress ?? []).toEqual([]);
    expect(sent.spec?.egress).toEqual([
      {
        to: [
          {
            ipBlock: {
              cidr: '0.0.0.0/0',
              except: ['169.254.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
            },
          },
        ],
      },
      DNS_DEFAULT,
      {
        to: [
          { ipBlock: { cidr: '10.96.0.15/32' } },
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'registry' } },
            podSelector: { matchLabels: { app: 'registry' } },
          },
        ],
      },
    ]);
  });

  it('allows no address at all when egress.allow is empty (a rule without peers would allow every one), for sessions and builds', () => {
    const settings = settingsWith({
      networkPolicy: { egress: { allow: [] }, builds: { egress: { allow: [] } } },
    });
    for (const sent of bothPolicies(settings)) {
      // DNS only: every egress rule names its peers and ports.
      expect(sent.spec?.egress).toEqual([DNS_DEFAULT]);
    }
  });

  it('refuses a registry peer Kubernetes would not know', () => {
    expect(() =>
      settingsWith({ networkPolicy: { builds: { registry: [{ service: 'registry' }] } } }),
    ).toThrow(/service/);
  });

  it('is checked by a validator that refuses what the API server would', () => {
    const pod = session(settingsWith());
    const broken = { ...pod, spec: { ...pod.spec, restartPolicy: 7 } } as unknown as V1Pod;
    expect(() => validPod(broken)).toThrow(/restartPolicy/);
  });
});
