import { z } from 'zod';
import { IPV4, IPV6 } from './cidr.js';

const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const L = '[A-Za-z0-9_]';
const LD = '[-A-Za-z0-9_]';
/**
 * A label of `first` then letters, digits, `_` and `-` inside, but not `-` in both its third
 * and fourth places: those (`xn--`) are IDNA's, which WHATWG decodes and may refuse.
 */
const label = (first: string) =>
  `(?:${first}(?:${LD}?${L})?|${first}${LD}${L}(?:${LD}*${L})?|${first}${LD}-${L}(?:${LD}*${L})?)`;
/** A host name whose last label starts with a letter (WHATWG reads `example.123` as IPv4). */
const HOST_NAME = `(?:${label(L)}\\.)*${label('[A-Za-z]')}`;
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
    error: (issue) =>
      `${JSON.stringify(issue.input)} is no http(s) URL: http:// or https://, a host name (letters, digits, "-", "_"; no "xn--" form), an IPv4 address or an [IPv6] one, a port up to 65535, then a path`,
  });
}
