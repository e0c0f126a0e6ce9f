import { lookup as dnsLookup } from 'node:dns/promises';
import { forbidden, notFound } from '../errors.js';
import { abortable } from '../util/abortable.js';
import { AddressList, parseAddress } from './address-ranges.js';

/** Resolves a host name to every address it has (as `dns.lookup` with `all: true` does). */
export type HostLookup = (hostname: string) => Promise<readonly { address: string }[]>;

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Keeps `git/` repositories off this server's own networks: a URL's host is resolved once,
 * every address it resolves to must be public unicast (not loopback, link-local such as
 * the cloud metadata service at 169.254.169.254, RFC 1918 or fc00::/7 private, CGNAT,
 * 0.0.0.0/8, multicast or otherwise reserved: ipaddr.js's ranges), unless the operator
 * listed the host or address. git is then pinned to the addresses checked, so a name that
 * resolves differently the next time (DNS rebinding) cannot move it.
 */
export class AddressGuard {
  private readonly allowed: AddressList;

  /** `allow`: host names, addresses and CIDR ranges that may be private. */
  constructor(
    allow: readonly string[],
    private readonly lookup: HostLookup = systemLookup,
  ) {
    this.allowed = new AddressList(allow);
  }

  /**
   * Checks where `url` (http or https) leads and returns git configuration entries that
   * make git connect there and nowhere else (`http.curloptResolve`, no redirects).
   * Throws 403 naming the address when it is refused, 404 when the host does not resolve.
   */
  async pin(url: string, signal: AbortSignal): Promise<string[]> {
    const { hostname, port, protocol } = new URL(url);
    const literal = parseAddress(hostname);
    const addresses = literal
      ? [literal]
      : (await abortable(this.resolve(hostname), signal)).map(({ address }) => {
          const parsed = parseAddress(address);
          if (!parsed) throw new Error(`the resolver returned a non-address ${address}`);
          return parsed;
        });
    const allowedName = this.allowed.hasName(hostname);
    for (const address of addresses) {
      const range = address.range();
      if (range === 'unicast' || allowedName || this.allowed.contains(address)) continue;
      throw forbidden(
        `${hostname}${literal ? '' : ` resolves to ${address.toString()}, which`} is a ` +
          `${range} address: this server does not fetch repositories from its own networks ` +
          `(an operator can allow a host in admission.allowPrivateGitHosts)`,
      );
    }
    const config = ['http.followRedirects=false'];
    if (!literal) {
      const effectivePort = port || (protocol === 'https:' ? '443' : '80');
      const pinned = addresses.map((address) =>
        address.kind() === 'ipv6' ? `[${address.toString()}]` : address.toString(),
      );
      config.push(`http.curloptResolve=${hostname}:${effectivePort}:${pinned.join(',')}`);
    }
    return config;
  }

  private async resolve(hostname: string): Promise<readonly { address: string }[]> {
    try {
      const found = await this.lookup(hostname);
      if (found.length > 0) return found;
    } catch {
      // Reported below, the same way as an empty answer.
    }
    throw notFound(`could not resolve the repository host ${hostname}`);
  }
}
