import ipaddr from 'ipaddr.js';
import { z } from 'zod';

// A regular expression, not code, so that the JSON Schema made from the configuration (the
// Helm chart's values schema) checks the same as the server. RE2's subset of JavaScript's.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** An IPv4 address in four decimal parts, as a regular expression's source. */
export const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9a-fA-F]{1,4}';
/**
 * RFC 4291's text forms of an IPv6 address, as a regular expression's source (alternatives):
 * eight groups, or fewer around one `::`. Not the forms ending in an IPv4 address
 * (`::ffff:10.0.0.1`): Kubernetes' strict validation of CIDRs refuses IPv4-mapped addresses.
 */
export const IPV6 = [
  `(?:${H16}:){7}${H16}`,
  `(?:${H16}:){1,7}:`,
  `(?:${H16}:){1,6}:${H16}`,
  `(?:${H16}:){1,5}(?::${H16}){1,2}`,
  `(?:${H16}:){1,4}(?::${H16}){1,3}`,
  `(?:${H16}:){1,3}(?::${H16}){1,4}`,
  `(?:${H16}:){1,2}(?::${H16}){1,5}`,
  `${H16}:(?::${H16}){1,6}`,
  `:(?::${H16}){1,7}`,
  '::',
].join('|');

/**
 * A CIDR as NetworkPolicy's `ipBlock` takes it, as a regular expression's source: an IPv4
 * address in four decimal parts (no octal, hex or short forms) with a prefix length of 0 to
 * 32, or an IPv6 address (no zone, no embedded IPv4) with 0 to 128.
 */
export const CIDR_RANGE = `${IPV4}/(?:3[0-2]|[12]?\\d)|(?:${IPV6})/(?:12[0-8]|1[01]\\d|[1-9]?\\d)`;

/** A CIDR (CIDR_RANGE), whole. */
const CIDR = new RegExp(`^(?:${CIDR_RANGE})$`);

/** Whether `value` is a CIDR (see CIDR). */
export function isCidr(value: string): boolean {
  return CIDR.test(value);
}

/**
 * `value` (a CIDR) as its network address and prefix length: `10.1.2.3/8` -> `10.0.0.0/8`,
 * `2001:DB8:0::/32` -> `2001:db8::/32`: one text for one range.
 */
export function canonicalCidr(value: string): string {
  const [address, bits] = ipaddr.parseCIDR(value);
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(value)
      : ipaddr.IPv6.networkAddressFromCIDR(value);
  return `${network.toString()}/${bits}`;
}

/** Whether CIDR `inner` lies strictly inside CIDR `outer` (ipBlock's `except` must). */
export function within(inner: string, outer: string): boolean {
  const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
  const [outerAddress, outerBits] = ipaddr.parseCIDR(outer);
  return (
    innerAddress.kind() === outerAddress.kind() &&
    innerBits > outerBits &&
    innerAddress.match(outerAddress, outerBits)
  );
}

/**
 * A CIDR as a NetworkPolicy takes it, refused at parse naming it: also one with bits set past
 * its prefix (`10.96.0.10/12`), which Kubernetes' strict validation refuses and which most
 * likely meant one address (`/32`) rather than the range. No JSON Schema can say that rule:
 * the chart's schema checks only the pattern.
 */
export function cidr() {
  return z
    .string()
    .regex(CIDR, {
      error: (issue) =>
        `${String(issue.input)} is no CIDR (an IPv4 address in four decimal parts, or an IPv6 address without an IPv4 part, then / and the prefix length)`,
    })
    .superRefine((value, context) => {
      // Zod runs this after the pattern failed too; that is reported already.
      if (!isCidr(value)) return;
      const [address, bits] = ipaddr.parseCIDR(value);
      const network = canonicalCidr(value);
      if (`${address.toString()}/${bits}` !== network) {
        const one = `${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`;
        context.addIssue({
          code: 'custom',
          message: `${value} has bits set past its prefix: write ${network} for the range, or ${one} for one address`,
        });
      }
    });
}
