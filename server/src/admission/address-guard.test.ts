import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { AddressGuard } from './address-guard.js';
import type { HostLookup } from './address-guard.js';

/** A resolver the test controls: no DNS query leaves the process. */
function resolver(table: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = (hostname: string) => {
    asked.push(hostname);
    const found = table[hostname];
    return found
      ? Promise.resolve(found.map((address) => ({ address })))
      : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };
  return Object.assign(lookup, { asked });
}

const signal = new AbortController().signal;

async function refusal(guard: AddressGuard, url: string): Promise<HttpError> {
  const error = await guard.pin(url, signal).then(
    () => new Error(`${url} was let through`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpError)) throw error;
  return error;
}

describe('AddressGuard', () => {
  const lookup = resolver({
    'metadata.test': ['169.254.169.254'],
    'loopback.test': ['127.0.0.1'],
    'v6-loopback.test': ['::1'],
    'intranet.test': ['10.1.2.3'],
    'home.test': ['192.168.1.10'],
    'office.test': ['172.16.0.1'],
    'cgnat.test': ['100.64.0.1'],
    'zero.test': ['0.0.0.0'],
    'ula.test': ['fd12:3456::1'],
    'v6-link.test': ['fe80::1'],
    'mapped.test': ['::ffff:169.254.169.254'],
    'mixed.test': ['93.184.216.34', '10.0.0.5'],
    'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
  });
  const guard = new AddressGuard([], lookup);

  it.each([
    ['metadata.test', '169.254.169.254', 'linkLocal'],
    ['loopback.test', '127.0.0.1', 'loopback'],
    ['v6-loopback.test', '::1', 'loopback'],
    ['intranet.test', '10.1.2.3', 'private'],
    ['home.test', '192.168.1.10', 'private'],
    ['office.test', '172.16.0.1', 'private'],
    ['cgnat.test', '100.64.0.1', 'carrierGradeNat'],
    ['zero.test', '0.0.0.0', 'unspecified'],
    ['ula.test', 'fd12:3456::1', 'uniqueLocal'],
    ['v6-link.test', 'fe80::1', 'linkLocal'],
    ['mapped.test', '169.254.169.254', 'linkLocal'],
    ['mixed.test', '10.0.0.5', 'private'],
  ])('refuses a name that resolves into a non-public range (%s)', async (host, address, range) => {
    const error = await refusal(guard, `https://${host}/org/repo.git`);
    expect(error.status).toBe(403);
    expect(error.message).toContain(`${host} resolves to ${address}`);
    expect(error.message).toContain(range);
    expect(error.message).toContain('admission.allowPrivateGitHosts');
  });

  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1:8080/repo.git',
    'http://2130706433/repo.git',
    'http://0x7f.1/repo.git',
    'http://[::1]/repo.git',
    'http://[::ffff:127.0.0.1]/repo.git',
    'http://[fe80::1]/repo.git',
    'http://10.0.0.1/repo.git',
    'http://0.0.0.0/repo.git',
  ])('refuses an address written in the URL without asking DNS (%s)', async (url) => {
    const before = lookup.asked.length;
    expect((await refusal(guard, url)).status).toBe(403);
    expect(lookup.asked.length).toBe(before);
  });

  it('pins git to every address it checked, and turns redirects off', async () => {
    expect(await guard.pin('https://public.test/org/repo.git', signal)).toEqual([
      'http.followRedirects=false',
      'http.curloptResolve=public.test:443:93.184.216.34,[2606:2800:220:1::1]',
    ]);
    expect(await guard.pin('http://public.test:8080/repo.git', signal)).toContain(
      'http.curloptResolve=public.test:8080:93.184.216.34,[2606:2800:220:1::1]',
    );
  });

  it('lets through the hosts, addresses and ranges the operator allows', async () => {
    const allowing = new AddressGuard(['intranet.test', '10.9.0.0/16', '::1'], lookup);
    await expect(allowing.pin('https://intranet.test/repo.git', signal)).resolves.toContain(
      'http.curloptResolve=intranet.test:443:10.1.2.3',
    );
    await expect(allowing.pin('http://10.9.8.7/repo.git', signal)).resolves.toEqual([
      'http.followRedirects=false',
    ]);
    await expect(allowing.pin('http://[::1]:9000/repo.git', signal)).resolves.toBeDefined();
    expect((await refusal(allowing, 'http://10.8.0.1/repo.git')).status).toBe(403);
    expect((await refusal(allowing, 'https://metadata.test/repo.git')).status).toBe(403);
  });

  it('answers 404 for a host that does not resolve', async () => {
    const error = await refusal(guard, 'https://nowhere.test/repo.git');
    expect(error.status).toBe(404);
    expect(error.message).toContain('could not resolve the repository host nowhere.test');
  });
});
