import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, part, runAndWait, waitForOutput } from '../test-support/cells.js';
import { testServer, waitFor } from '../test-support/server.js';
import { interrupt, restart, restartAndRunAll, runAll } from './api.js';
import type { BinderControls } from './components/binder-controls/binder-controls.component.js';
import './components/binder-controls/binder-controls.js';
import type { BinderCell } from './components/binder-cell/binder-cell.component.js';

/** Cells of the `api` session group, with page controls for that group. */
function page(...codes: string[]) {
  return cellsIn(
    html`<div>
      <binder-config server=${testServer()} repo="local/quickstart" session="api"></binder-config>
      <binder-controls session="api"></binder-controls>
      ${codes.map((code) => html`<binder-cell session="api"><pre>${code}</pre></binder-cell>`)}
    </div>`,
  );
}

const controls = () => document.querySelector('binder-controls') as BinderControls;
const button = (name: string) =>
  controls().shadowRoot?.querySelector(`[part="${name}"]`) as HTMLButtonElement;

const SLEEPER = 'import time\nprint("sleeping", flush=True)\ntime.sleep(30)\nprint("woke up")';
const CHECK = 'print("marker:", globals().get("marker", "gone"))';

describe('page-level API', () => {
  it('runAll runs every cell in page order', async () => {
    const cells = await page('steps = ["one"]', 'steps.append("two")', 'print(*steps, "three")');
    await runAll({ session: 'api' });
    expect(outputText(cells[2] as BinderCell)).to.contain('one two three');
  });

  it('restart clears the kernel', async () => {
    const [define, check] = (await page('marker = "set"', CHECK)) as [BinderCell, BinderCell];
    await runAndWait(define);
    await runAndWait(check);
    expect(outputText(check)).to.contain('marker: set');
    await restart({ session: 'api' });
    await runAndWait(check);
    expect(outputText(check)).to.contain('marker: gone');
  });

  it('restartAndRunAll restarts first, then runs the cells in order', async () => {
    const [check, define, show] = (await page(CHECK, 'marker = "again"', 'print(marker)')) as [
      BinderCell,
      BinderCell,
      BinderCell,
    ];
    await runAndWait(define);
    await restartAndRunAll({ session: 'api' });
    expect(outputText(check)).to.contain('marker: gone');
    expect(outputText(show)).to.contain('again');
  });

  it('interrupt stops what runs', async () => {
    const [cell] = (await page(SLEEPER)) as [BinderCell];
    const run = cell.run();
    await waitForOutput(cell, 'sleeping');
    await interrupt({ session: 'api' });
    await run;
    await cell.updateComplete;
    expect(outputText(cell)).to.contain('KeyboardInterrupt');
  });
});

describe('<binder-controls>', () => {
  it('restarts and runs all, runs all, and interrupts with its buttons', async () => {
    const [check, define, sleeper] = (await page(CHECK, 'marker = "from controls"', SLEEPER)) as [
      BinderCell,
      BinderCell,
      BinderCell,
    ];
    await runAndWait(define);
    button('restart-run-all-button').click();
    await waitForOutput(sleeper, 'sleeping');
    expect(outputText(check)).to.contain('marker: gone');
    button('interrupt-button').click();
    await waitForOutput(sleeper, 'KeyboardInterrupt');
    await waitFor(() => part(sleeper, 'interrupt-button') === null, 'the run to end');

    button('run-all-button').click();
    await waitForOutput(check, 'marker: from controls');
    await waitFor(() => part(sleeper, 'interrupt-button'), 'the sleeper to run');
    await waitForOutput(sleeper, 'sleeping');
    button('interrupt-button').click();
    await waitForOutput(sleeper, 'KeyboardInterrupt');
    await waitFor(() => part(sleeper, 'interrupt-button') === null, 'the run to end');
  });

  it('restarts with its Restart button and says so', async () => {
    const [check] = (await page(CHECK, 'marker = "before restart"')) as [BinderCell, BinderCell];
    await runAll({ session: 'api' });
    button('restart-button').click();
    const status = () => controls().shadowRoot?.querySelector('[part="status"]');
    await waitFor(() => /restart/i.test(status()?.textContent ?? ''), 'the restart to show');
    await waitFor(() => !/Restarting/.test(status()?.textContent ?? ''), 'the restart to end');
    await runAndWait(check);
    expect(outputText(check)).to.contain('marker: gone');
    await expect(controls()).to.be.accessible();
  });
});
