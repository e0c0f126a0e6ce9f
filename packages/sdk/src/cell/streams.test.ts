import { expect } from '@open-wc/testing';
import { cellsOn, outputs, outputText, part, runAndWait } from '../../test-support/cells.js';
import { waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

const cells = (...codes: string[]) => cellsOn('streams', ...codes);

async function ran(code: string): Promise<BinderCell> {
  const [cell] = (await cells(code)) as [BinderCell];
  await runAndWait(cell);
  return cell;
}

const stream = (cell: BinderCell, name = 'stdout') =>
  outputs(cell).querySelector<HTMLElement>(`[part~="stream"].${name}`);
/** The lines a stream shows, the last one without its newline; none before it shows. */
const shownLines = (cell: BinderCell, name = 'stdout') =>
  [...(stream(cell, name)?.querySelectorAll('pre') ?? [])]
    .map((pre) => pre.textContent ?? '')
    .join('')
    .replace(/\n$/, '')
    .split('\n');

describe('streams', () => {
  it('return to the start of the line on a bare \\r', async () => {
    expect(shownLines(await ran('print("1\\r2\\r3")'))).to.deep.equal(['3']);
    const loop = await ran('for i in range(10):\n    print(i, end="\\r")');
    expect(shownLines(loop)).to.deep.equal(['9']);
  });

  it('keep \\r\\n one newline, and move back on a backspace', async () => {
    expect(shownLines(await ran('print("a\\r\\nb\\r\\nc")'))).to.deep.equal(['a', 'b', 'c']);
    expect(shownLines(await ran('print("abc\\b\\bX")'))).to.deep.equal(['aXc']);
  });

  it('keep a tqdm progress bar on one updating line', async () => {
    const cell = await ran(
      'import time\nfrom tqdm import tqdm\n' +
        'for _ in tqdm(range(30), ncols=70, mininterval=0):\n    time.sleep(0.02)',
    );
    const lines = shownLines(cell, 'stderr');
    expect(lines, lines.join('\n')).to.have.length(1);
    expect(lines[0]).to.match(/100%.*30\/30/);
  });

  it('keep a huge output bounded, ending with its last line, and show all on request', async () => {
    const [huge, next] = (await cells(
      'for i in range(200_000):\n    print(i)',
      'print("still usable")',
    )) as [BinderCell, BinderCell];
    await runAndWait(huge);
    const shown = stream(huge)?.textContent ?? '';
    expect(shown.length, 'characters in the page').to.be.below(2_000);
    expect(shown).to.match(/199.?900 lines hidden/);
    expect(outputText(huge)).not.to.contain('rate exceeded');
    const lines = shownLines(huge);
    expect(lines.slice(0, 3)).to.deep.equal(['0', '1', '2']);
    expect(lines.at(-1)).to.equal('199999');

    (stream(huge)?.querySelector('button') as HTMLButtonElement).click();
    await huge.updateComplete;
    const all = shownLines(huge);
    expect(all).to.have.length(200_000);
    expect(all.findIndex((line, index) => line !== String(index))).to.equal(-1);
    expect(stream(huge)?.querySelector('button'), 'nothing left to show').to.equal(null);

    await runAndWait(next);
    expect(outputText(next)).to.contain('still usable');
  });

  it('show a single print of megabytes, not a note that the rate limit dropped it', async () => {
    // 3.4 MB at once: past jupyter_server's default IOPub data rate limit (1 MB/s over 3 s).
    const cell = await ran('print("\\n".join(map(str, range(500_000))))');
    expect(outputText(cell)).not.to.contain('rate exceeded');
    expect(shownLines(cell).at(-1)).to.equal('499999');
  });

  it('cut a very long line short until the reader shows all', async () => {
    const cell = await ran('print("x" * 12_000, "end")');
    expect(shownLines(cell)[0]).to.match(/^x{5000}…$/);
    expect(stream(cell)?.textContent).to.contain('Long lines are cut short.');
    (stream(cell)?.querySelector('button') as HTMLButtonElement).click();
    await cell.updateComplete;
    expect(shownLines(cell)).to.deep.equal([`${'x'.repeat(12_000)} end`]);
  });

  it('keep the last lines of a long output updating while it runs', async () => {
    const [cell] = (await cells(
      'for i in range(1000):\n    print(i)\n' +
        'input("more? ")\n' +
        'for i in range(1000, 1500):\n    print(i)',
    )) as [BinderCell];
    const run = cell.run();
    const form = await waitFor(() => part<HTMLFormElement>(cell, 'input'), 'the input form');
    await waitFor(() => shownLines(cell).at(-1) === '999', 'line 999 at the end');
    expect(stream(cell)?.textContent).to.match(/900 lines hidden/);
    (form.querySelector('input') as HTMLInputElement).value = 'yes';
    form.requestSubmit();
    await run;
    await cell.updateComplete;
    expect(shownLines(cell).at(-1)).to.equal('1499');
    expect(stream(cell)?.textContent).to.match(/1.?400 lines hidden/);
    await expect(cell).to.be.accessible();
  });
});
