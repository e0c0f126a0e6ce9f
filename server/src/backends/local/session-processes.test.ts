import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  SESSION_ENV,
  isRunning,
  sessionProcesses,
  stopSessionProcesses,
} from './session-processes.js';

describe('the processes of a local session', () => {
  it('are found by the session named in their environment, and all stopped', async () => {
    // A leader in a process group of its own, with a child that leaves the group (as kernels do).
    const script = 'setsid sleep 300 & sleep 300';
    const leader = spawn('/bin/sh', ['-c', script], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [SESSION_ENV]: 'session-under-test' },
    });
    const pid = leader.pid ?? 0;
    const exited = new Promise((resolve) => leader.once('exit', resolve));
    let found: number[] = [];
    for (let tries = 0; tries < 100 && found.length < 2; tries += 1) {
      found = await sessionProcesses('session-under-test');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(found).toContain(pid);
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(await sessionProcesses('another-session')).toEqual([]);

    await stopSessionProcesses('session-under-test', pid, 1000);
    await exited;
    for (const each of found) expect(await isRunning(each)).toBe(false);
    expect(await sessionProcesses('session-under-test')).toEqual([]);
  });

  it('leave a pid that is no longer theirs alone', async () => {
    await expect(stopSessionProcesses('gone-session', process.pid, 100)).resolves.toBeUndefined();
    expect(await isRunning(process.pid)).toBe(true);
  });
});
