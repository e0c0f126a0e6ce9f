import { isIPv6 } from 'node:net';

/**
 * The base URL of a server at an IP address and port, `http://10.1.2.3:8888/` or, for an
 * IPv6 address, `http://[fd00::1]:8888/` (RFC 3986 puts IPv6 literals in brackets).
 */
export function serverUrl(address: string, port: number): string {
  return `http://${isIPv6(address) ? `[${address}]` : address}:${port}/`;
}
