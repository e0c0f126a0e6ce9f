import { expect, html } from '@open-wc/testing';
import {
  cellsIn,
  outputText,
  part,
  runAndWait,
  runButton,
  statusText,
  waitForOutput,
} from '../../test-support/cells.js';
import {
  cuttingProxy,
  cuttingProxyStats,
  endAllSessions,
  sessionCount,
  testServer,
  waitFor,
} from '../../test-support/server.js';
import { restartAndRunAll } from '../api.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import type { BinderStatusEvent } from '../events/binder-status-event.js';

const pid = (cell: BinderCell) => /pid (\d+)/.exec(outputText(cell))?.[1];

/** Cells of their own session group (`group`), with no reuse across page loads. */
async function group(name: string, codes: string[], attributes = ''): Promise<BinderCell[]> {
  return cellsIn(
    html`<div>
      ${htmlConfig(name, attributes)}
      ${codes.map((code) => html`<binder-cell session=${name}><pre>${code}</pre></binder-cell>`)}
    </div>`,
  );
}

function htmlConfig(name: string, attributes: string) {
  const config = document.createElement('binder-config');
  config.setAttribute('server', testServer());
  config.setAttribute('repo', 'local/quickstart');
  config.setAttribute('session', name);
  config.setAttribute('reuse', '0');
  for (const [key, value] of new URLSearchParams(attributes)) config.setAttribute(key, value);
  return config;
}

/** Waits until the test server has `count` sessions. */
async function waitForSessions(count: number): Promise<void> {
  for (let waited = 0; (await sessionCount()) !== count; waited += 100) {
    if (waited > 10_000) throw new Error(`the server still has ${await sessionCount()} sessions`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every status event of `cell` while the test runs. */
function statusEvents(cell: BinderCell): BinderStatusEvent[] {
  const seen: BinderStatusEvent[] = [];
  cell.addEventListener('binder-cell-status', (event) => seen.push(event));
  return seen;
}

describe('a session that ends under the reader', () => {
  it('runs on a new session when Run is pressed after it ended', async () => {
    const [cell] = (await group('ended', ['import os; print("pid", os.getpid())'])) as [BinderCell];
    await runAndWait(cell);
    const before = pid(cell);
    await endAllSessions();
    await waitFor(() => cell.session?.status.state === 'ended', 'the cell to see the end');
    expect(statusText(cell)).to.contain('The session has ended');
    expect(runButton(cell).disabled).to.equal(false);

    await runAndWait(cell);
    expect(pid(cell)).to.match(/^\d+$/);
    expect(pid(cell)).not.to.equal(before);
    expect(statusText(cell)).to.equal('');
    expect(runButton(cell).disabled).to.equal(false);
  });

  it('runs on a new session after its kernel server was killed', async () => {
    const [killer, cell] = (await group('killed', [
      'import os, signal; os.kill(os.getppid(), signal.SIGKILL)',
      'import os; print("pid", os.getpid())',
    ])) as [BinderCell, BinderCell];
    void killer.run();
    await waitFor(() => killer.session?.status.state === 'ended', 'the session to end');
    await waitFor(() => runButton(killer).disabled === false, 'Run to come back');
    await runAndWait(cell);
    expect(pid(cell)).to.match(/^\d+$/);
  });
});

describe('restarting', () => {
  it('settles every cell once the kernel is back, after Restart and after Restart & run all', async () => {
    const cells = await group('restarted', ['x = 1', 'print("x is", x)']);
    const [first, second] = cells as [BinderCell, BinderCell];
    await runAndWait(first);
    await runAndWait(second);

    await first.restart();
    await waitFor(
      () => statusText(first) === 'The kernel restarted: earlier results are gone.',
      'the restart to be told',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(statusText(first)).to.equal('The kernel restarted: earlier results are gone.');
    expect(first.session?.status.state).to.equal('ready');

    await restartAndRunAll({ session: 'restarted' });
    await waitForOutput(second, 'x is 1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const cell of cells) {
      expect(statusText(cell), 'settled, nothing left to say').to.equal('');
      expect(runButton(cell).disabled).to.equal(false);
    }
  });
});

describe('queueing', () => {
  it('says "queued" only when another cell holds the kernel', async () => {
    const [alone] = (await group('alone', ['print("alone")'])) as [BinderCell];
    const seen = statusEvents(alone);
    await runAndWait(alone);
    await runAndWait(alone);
    expect(seen.map((event) => event.detail.run)).not.to.include('queued');

    const [slow, next] = (await group('queue', [
      'import time; time.sleep(1)',
      'print("next")',
    ])) as [BinderCell, BinderCell];
    const nextStates = statusEvents(next);
    await Promise.all([slow.run(), next.run()]);
    expect(nextStates.map((event) => event.detail.run)).to.include('queued');
  });
});

describe('a run the kernel skips after an earlier error', () => {
  it("keeps the cell's outputs and says why it did not run", async () => {
    const [failing, later] = (await group('skipped', [
      'import time; time.sleep(1); raise ValueError("boom")',
      'print("x is", 42)',
    ])) as [BinderCell, BinderCell];
    await runAndWait(later);
    await waitForOutput(later, 'x is 42');
    await Promise.all([failing.run(), later.run()]);
    expect(outputText(failing)).to.contain('ValueError');
    expect(outputText(later)).to.contain('x is 42');
    expect(statusText(later)).to.equal('Not run: a cell before it raised an error.');
    expect(runButton(later).disabled).to.equal(false);
  });
});

describe('restarting a page with a session that cannot start', () => {
  it('restarts and runs the other sessions all the same', async () => {
    const [broken] = (await group('broken-group', ['1'], 'kernel=nope')) as [BinderCell];
    const [healthy] = (await group('healthy-group', ['import os; print("pid", os.getpid())'])) as [
      BinderCell,
    ];
    await broken.run();
    await runAndWait(healthy);
    const before = pid(healthy);
    await restartAndRunAll();
    await waitFor(() => pid(healthy) !== before, 'the healthy group to run again');
    expect(pid(healthy)).to.match(/^\d+$/);
    expect(statusText(broken)).to.contain('kernel "nope" is not available');
  });
});

describe('a cold launch', () => {
  it('tells each cell about the session once per change, shows progress, and keeps the log one click away', async () => {
    const codes = [1, 2, 3, 4, 5].map((n) => `print("cell ${n}")`);
    const cells = await group('cold', codes, 'repo=local/cold');
    const events: BinderStatusEvent[] = [];
    const collect = (event: Event) => events.push(event as BinderStatusEvent);
    document.addEventListener('binder-cell-status', collect);
    const first = cells[0] as BinderCell;
    const lines = new Set<string>();
    const watch = setInterval(() => lines.add(statusText(first)), 100);
    const run = first.run();
    const logButton = await waitFor(
      () => part<HTMLButtonElement>(first, 'log-button'),
      'the Log button',
    );
    logButton.click();
    await waitFor(
      () => part(first, 'log')?.textContent?.includes('Installing'),
      'the log',
      60000,
    ).catch((e) => {
      throw new Error(
        `${String(e)}: ${String(part(first, 'log')?.outerHTML)} ${String(first.session?.log.join('|'))} ${statusText(first)}`,
      );
    });
    await run;
    clearInterval(watch);
    document.removeEventListener('binder-cell-status', collect);
    await waitForOutput(first, 'cell 1');

    const session = first.session;
    expect(session?.log.length, 'a real build').to.be.greaterThan(10);
    for (const cell of cells) {
      const told = events
        .filter((event) => event.target === cell)
        .map(({ detail: { run, session } }) =>
          JSON.stringify([run, session.state, session.message, session.busy]),
        );
      expect(told.length, 'each cell is told').to.be.greaterThan(0);
      expect(told.length, 'build log lines are not status events').to.be.lessThan(
        session?.log.length ?? 0,
      );
      expect(
        told.some((line, index) => line === told[index - 1]),
        'nothing told twice',
      ).to.equal(false);
    }
    expect(
      [...lines].some((line) => /Preparing the environment… .*packages.* · \d+:\d\d/.test(line)),
      `progress and elapsed time in ${[...lines].join(' | ')}`,
    ).to.equal(true);
    expect(part(first, 'log-button'), 'the log goes with the launch').to.equal(null);
  });
});

describe('a launch stream that breaks off', () => {
  for (const kind of ['binder-cell', 'binderhub']) {
    it(`resumes the same launch (${kind} kind)`, async () => {
      const proxy = await cuttingProxy(2);
      const before = await sessionCount();
      const [cell] = (await group(
        `cut-${kind}`,
        ['print("through the cut")'],
        new URLSearchParams({ kind, server: proxy }).toString(),
      )) as [BinderCell];
      await runAndWait(cell);
      expect(outputText(cell), statusText(cell)).to.contain('through the cut');
      const stats = await cuttingProxyStats(proxy);
      expect(stats.cut).to.equal(1);
      expect(stats.resumed, 'reconnected with Last-Event-ID').to.be.greaterThan(0);
      expect(await sessionCount(), 'one session, not two').to.equal(before + 1);
    });
  }
});

describe('a kernel the environment does not have', () => {
  it('gets a clear message and its session ended, on a BinderHub-kind launch too', async () => {
    for (const kind of ['binder-cell', 'binderhub']) {
      const before = await sessionCount();
      const [cell] = (await group(`no-kernel-${kind}`, ['1'], `kind=${kind}&kernel=nope`)) as [
        BinderCell,
      ];
      await cell.run();
      await waitFor(() => statusText(cell).includes('not available'), 'the message');
      // The host's own kernels (R's IRkernel, scripts/setup.sh require_r) are listed too.
      expect(statusText(cell)).to.match(
        /kernel "nope" is not available in this environment \(available: ([\w-]+, )*python3(, [\w-]+)*\)/,
      );
      await waitForSessions(before);
    }
  });
});
