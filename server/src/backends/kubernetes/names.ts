import { createHash } from 'node:crypto';

/** A DNS-1123 label, as pod names should be (a pod's hostname is its name): at most 63. */
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain, as most object names (NetworkPolicy's) must be: at most 253. */
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
/** A label value, the API server's rule: at most 63. */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Hex characters of SHA-256 a changed value carries: 40 bits. */
const HASH_LENGTH = 10;

/** The rules names and label values are made to fit. */
export const NAME_RULES = {
  /** Pod names: DNS-1123 labels. */
  label: { pattern: DNS_LABEL, max: 63 },
  /** Other object names: DNS-1123 subdomains. */
  subdomain: { pattern: DNS_SUBDOMAIN, max: 253 },
} as const;

/**
 * The name of an object derived from `value` (a session or instance id): `<prefix><value>`
 * itself when that already fits `rule`, else the value lower-cased with every run of other
 * characters as `-`, cut to fit, and `-<hash of the value>` after it, so two values never
 * share a name (for pods created before this rule, valid names are unchanged). `prefix`
 * must start with a letter and hold only `[a-z0-9-]`.
 */
export function objectName(
  prefix: string,
  value: string,
  rule: keyof typeof NAME_RULES = 'label',
): string {
  const { pattern, max } = NAME_RULES[rule];
  const plain = `${prefix}${value}`;
  if (plain.length <= max && pattern.test(plain)) return plain;
  const stem = `${prefix}${value.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
  return hashed(stem, value, max);
}

/**
 * A label value for `value`: itself when it is one (at most 63 letters, digits, `-`, `_`,
 * `.`, starting and ending with a letter or digit), else as much of it as fits (other
 * characters as `-`) and `-<hash of the value>`, so two values never share a label value.
 */
export function labelValue(value: string): string {
  if (isLabelValue(value)) return value;
  const stem = value.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return hashed(stem, value, 63);
}

/** Whether `value` is a label value as the API server accepts it. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** `stem` cut so that `<stem>-<hash>` is at most `max` characters (just the hash for no stem). */
function hashed(stem: string, value: string, max: number): string {
  const hash = createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
  const cut = stem.slice(0, max - HASH_LENGTH - 1);
  return cut === '' ? hash : `${cut}-${hash}`;
}
