import { expect } from '@open-wc/testing';
import {
  cellsOn,
  outputText,
  part,
  runAndWait,
  runButton,
  shadow,
  statusText,
  waitForOutput,
} from '../../test-support/cells.js';
import { waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

const page = (...codes: string[]) => cellsOn('quickstart', ...codes);

const count = (cell: BinderCell) =>
  Number(/\[(\d+)\]/.exec(shadow(cell).querySelector('.count')?.textContent ?? '')?.[1]);

/** Answers a cell's open `input()` form. */
async function answer(cell: BinderCell, value: string): Promise<void> {
  const form = await waitFor(() => part<HTMLFormElement>(cell, 'input'), 'the input form');
  (form.querySelector('input') as HTMLInputElement).value = value;
  form.requestSubmit();
}

describe('running a cell', () => {
  it('shows its execution count, which goes up with each run', async () => {
    const [cell] = (await page('1 + 1')) as [BinderCell];
    expect(shadow(cell).querySelector('.count')).to.equal(null);
    await runAndWait(cell);
    const first = count(cell);
    expect(first).to.be.greaterThan(0);
    expect(shadow(cell).querySelector('.count')?.getAttribute('aria-label')).to.equal(
      'Execution count',
    );
    await runAndWait(cell);
    expect(count(cell)).to.equal(first + 1);
  });

  it('waits, queued, while another cell holds the kernel', async () => {
    const [first, second] = (await page(
      'held = input("hold the kernel: ")',
      'print("after", held)',
    )) as [BinderCell, BinderCell];
    const firstRun = first.run();
    await waitFor(() => part(first, 'input'), 'the first cell to wait for input');
    const secondRun = second.run();
    await waitFor(() => runButton(second).textContent?.includes('Queued'), 'the queued state');
    expect(statusText(second)).to.equal('Queued behind other cells…');
    expect(runButton(second).disabled).to.equal(true);
    expect(part(second, 'interrupt-button')).to.not.equal(null);
    await answer(first, 'released');
    await Promise.all([firstRun, secondRun]);
    await second.updateComplete;
    expect(outputText(second)).to.contain('after released');
    expect(runButton(second).textContent?.trim()).to.equal('Run');
  });

  it('stops a long run with Interrupt', async () => {
    const [cell] = (await page(
      'import time\nprint("sleeping", flush=True)\ntime.sleep(30)\nprint("woke up")',
    )) as [BinderCell];
    const run = cell.run();
    await waitForOutput(cell, 'sleeping');
    expect(runButton(cell).textContent?.trim()).to.equal('Running…');
    (part(cell, 'interrupt-button') as HTMLButtonElement).click();
    await run;
    await cell.updateComplete;
    expect(outputText(cell)).to.contain('KeyboardInterrupt');
    expect(shadow(cell).querySelector('.stream')?.textContent?.trim()).to.equal('sleeping');
    expect(part(cell, 'interrupt-button')).to.equal(null);
  });
});
