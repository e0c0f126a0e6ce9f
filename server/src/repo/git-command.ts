import { runCommand } from '../util/command.js';
import type { RunOptions } from '../util/command.js';

export interface GitPolicy {
  allowFileUrls: boolean;
  timeoutMs: number;
}

/**
 * Runs git with only the http(s) (and optionally file) transports enabled, no prompts,
 * and no user or system configuration, so a spec can never reach `ext::`, ssh or a hook.
 */
export function git(args: string[], policy: GitPolicy, options: RunOptions = {}) {
  const transports = ['https', 'http', ...(policy.allowFileUrls ? ['file'] : [])];
  const config = [
    'protocol.allow=never',
    ...transports.map((name) => `protocol.${name}.allow=always`),
    'core.hooksPath=/dev/null',
    'advice.detachedHead=false',
  ].flatMap((entry) => ['-c', entry]);
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  return runCommand('git', [...config, ...args], {
    ...options,
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    env: {
      ...process.env,
      ...options.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: 'false',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROTOCOL_FROM_USER: '0',
      LC_ALL: 'C',
    },
  });
}
