import { anyWithTimeout } from '../util/abortable.js';
import { runCommand } from '../util/command.js';
import type { RunOptions } from '../util/command.js';

export interface GitPolicy {
  allowFileUrls: boolean;
  timeoutMs: number;
}

/** HTTP basic credentials for one git remote. */
export interface GitCredentials {
  username: string;
  password: string;
}

export interface GitOptions extends RunOptions {
  /** Sent only to `credentialsFor`'s origin, through the environment (never the command line). */
  credentials?: { url: string; credentials: GitCredentials };
  /** Further `-c` entries, such as where to connect (see AddressGuard). */
  config?: readonly string[];
}

/**
 * Runs git with only the http(s) (and optionally file) transports enabled, no prompts,
 * and no user or system configuration, so a spec can never reach `ext::`, ssh or a hook.
 */
export function git(args: string[], policy: GitPolicy, options: GitOptions = {}) {
  const transports = ['https', 'http', ...(policy.allowFileUrls ? ['file'] : [])];
  const config = [
    'protocol.allow=never',
    ...transports.map((name) => `protocol.${name}.allow=always`),
    'core.hooksPath=/dev/null',
    'advice.detachedHead=false',
    ...(options.config ?? []),
  ].flatMap((entry) => ['-c', entry]);
  return runCommand('git', [...config, ...args], {
    ...options,
    signal: anyWithTimeout(options.signal ? [options.signal] : [], policy.timeoutMs),
    env: {
      ...process.env,
      ...options.env,
      ...credentialsEnv(options.credentials),
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: 'false',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROTOCOL_FROM_USER: '0',
      LC_ALL: 'C',
    },
  });
}

/** An Authorization header scoped to the remote's origin, as environment-only git config. */
function credentialsEnv(scoped: GitOptions['credentials']): Record<string, string> {
  if (!scoped) return {};
  const { username, password } = scoped.credentials;
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${new URL(scoped.url).origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/**
 * Whether a line of git's stderr is one of its progress updates (`Receiving objects:  45%
 * (9/20)`, also after `remote: `): noise in a log. The final `100% (20/20), done.` is kept.
 */
export function isGitProgress(line: string): boolean {
  return /^(remote: )?[A-Za-z ]+:\s+\d{1,3}% \(\d+\/\d+\)/.test(line) && !line.endsWith('done.');
}
