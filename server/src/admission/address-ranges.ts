import ipaddr from 'ipaddr.js';
import type { IPv4, IPv6 } from 'ipaddr.js';

/** An IP address, IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) taken as the IPv4 they carry. */
export function parseAddress(text: string): IPv4 | IPv6 | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/**
 * A list of addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`) and, for
 * entries that are neither, host names. Throws on an invalid CIDR range; addresses are
 * matched as `parseAddress` reads them, so list IPv4 ranges in IPv4 form.
 */
export class AddressList {
  private readonly ranges: [IPv4 | IPv6, number][] = [];
  private readonly names = new Set<string>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      if (entry.includes('/')) {
        this.ranges.push(ipaddr.parseCIDR(entry));
        continue;
      }
      const address = parseAddress(entry);
      if (address) this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      else this.names.add(entry.toLowerCase());
    }
  }

  /** True when `name` is one of the listed host names (case-insensitive). */
  hasName(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  /** True when the address is in one of the listed ranges. */
  contains(address: IPv4 | IPv6): boolean {
    return this.ranges.some(
      ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
    );
  }
}
