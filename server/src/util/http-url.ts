import { z } from 'zod';
import { IPV4, IPV6 } from './cidr.js';

const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/** A DNS label of letters, digits and single `-` inside (no `xn--` form: WHATWG decodes it). */
const LABEL = '[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*';
/** A host name whose last label starts with a letter (WHATWG reads `example.123` as IPv4). */
const HOST_NAME = `(?:${LABEL}\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*`;
/** Printable ASCII but `\`, which WHATWG reads as `/` in http(s) URLs. */
const REST = '[!-\\[\\]-~]';

/**
 * An absolute http or https URL: an optional `user:password@`, a host name, an IPv4 address
 * or a bracketed IPv6 one, an optional port up to 65535, then any printable ASCII but `\`.
 * A regular expression (RE2's subset), so that the Helm chart's values schema checks the
 * same as the server; every URL it matches the WHATWG URL parser (`new URL`) takes.
 */
export const HTTP_URL = new RegExp(
  `^https?://(?:[-A-Za-z0-9._~!$&'()*+,;=:%]*@)?(?:${HOST_NAME}|${IPV4}|\\[(?:${IPV6})\\])(?::${PORT})?(?:[/?#]${REST}*)?$`,
);

/** An HTTP_URL, refused at parse naming it. */
export function httpUrl() {
  return z.string().regex(HTTP_URL, {
    error: (issue) => `${JSON.stringify(issue.input)} is no http(s) URL`,
  });
}
