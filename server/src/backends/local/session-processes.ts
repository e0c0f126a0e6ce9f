import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The environment variable every process of a local session inherits (its jupyter_server,
 * kernels, and what they start), naming the session: how its processes are found again
 * after the server that started them is gone, even those that left its process group.
 */
export const SESSION_ENV = 'BINDER_CELL_SESSION';

/** How often (ms) a session process this server did not start is checked for its exit. */
const EXIT_POLL_MS = 1000;

/**
 * Whether a process runs: it exists and is not a zombie (a session whose parent server is
 * gone may be left unreaped by a PID 1 that does not reap). Reads /proc where there is one.
 */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    return signalReaches(pid);
  }
}

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Settles when a process this server did not start (so gets no exit event for) stops
 * running, or when `signal` aborts. Checks every second without keeping the server alive.
 */
export async function exitOf(pid: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && (await isRunning(pid))) {
    await sleep(EXIT_POLL_MS, undefined, { ref: false, signal }).catch(() => undefined);
  }
}

/**
 * The processes of one session: those whose environment names it (Linux only; elsewhere
 * none). Kernels start in process groups of their own, so a process group alone would
 * miss them. Never includes this server.
 */
export async function sessionProcesses(sessionId: string): Promise<number[]> {
  const found = new Set<number>();
  const marker = `\0${SESSION_ENV}=${sessionId}\0`;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const environ = await readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
        if (`\0${environ}`.includes(marker)) found.add(Number(name));
      }),
  );
  found.delete(process.pid);
  return [...found];
}

/**
 * Stops a session's processes: SIGTERM to its jupyter_server's process group (so it shuts
 * its kernels down), then, after `graceMs` or once the server is gone, SIGKILL to every
 * process of the session still there. `pid`'s group is signalled only while it is the
 * session's (a reused pid is left alone).
 */
export async function stopSessionProcesses(
  sessionId: string,
  pid: number,
  graceMs: number,
): Promise<void> {
  const ours = async () => {
    const pids = await sessionProcesses(sessionId);
    const leads = HAS_PROC ? pids.includes(pid) : await isRunning(pid);
    return { pids, group: leads ? [-pid] : [] };
  };
  const first = await ours();
  if (first.group.length > 0) {
    signalAll(first.group, 'SIGTERM');
    const grace = AbortSignal.timeout(graceMs);
    while (!grace.aborted && (await isRunning(pid))) await sleep(50);
  }
  const rest = await ours();
  signalAll([...rest.group, ...rest.pids], 'SIGKILL');
  // SIGKILL is not instant; callers check that nothing is left.
  for (let waited = 0; waited < graceMs; waited += 50) {
    if ((await sessionProcesses(sessionId)).length === 0) return;
    await sleep(50);
  }
}

const HAS_PROC = existsSync('/proc/self/stat');

function signalAll(targets: readonly number[], name: NodeJS.Signals): void {
  for (const target of targets) {
    try {
      process.kill(target, name);
    } catch {
      // already gone
    }
  }
}
