/**
 * Fields whose values are secrets wherever they appear in a log object (pino `redact`
 * paths; `*` matches one level): session and kernel server tokens, a launch's repository
 * token, configured repository credentials, and request headers that carry credentials.
 */
export const SECRET_PATHS = [
  'token',
  '*.token',
  'repoToken',
  '*.repoToken',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

const REDACTED = '[redacted]';

/** Secrets inside text: credentials in URLs, token query parameters, Authorization values. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s"'@]+@/gi, `$1${REDACTED}@`],
  [/([?&](?:token|access_token|private_token|api_key)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  [/\b(token|bearer|basic)(\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, `$1$2${REDACTED}`],
];

/**
 * Replaces secrets written inside text (a message, an error's stack, a line a kernel
 * server printed) with `[redacted]`. Fields known to hold secrets are removed by name
 * (`SECRET_PATHS`); this catches the ones that end up inside strings.
 */
export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    scrubbed = scrubbed.replace(pattern, replacement);
  }
  return scrubbed;
}
