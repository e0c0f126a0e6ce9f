import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  cellsIn,
  cellsOn,
  loadedModules,
  outputText,
  runAndWait,
  shadow,
  waitForOutput,
} from '../../test-support/cells.js';
import { testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

const editorOf = (cell: BinderCell) => shadow(cell).querySelector<HTMLElement>('.cm-editor');
const editorFocused = (cell: BinderCell) =>
  shadow(cell).activeElement?.classList.contains('cm-content') === true;

async function press(key: string, modifier?: 'Shift' | 'Control'): Promise<void> {
  if (modifier) await sendKeys({ down: modifier });
  await sendKeys({ press: key });
  if (modifier) await sendKeys({ up: modifier });
}

/** Focuses a cell and waits for its editor to take the focus. */
async function focusEditor(cell: BinderCell): Promise<void> {
  cell.focus();
  await waitFor(() => editorOf(cell) && editorFocused(cell), 'the editor to load and take focus');
}

const page = (...codes: string[]) => cellsOn('quickstart', ...codes);

describe('editing a cell', () => {
  it('loads the editor on first focus, not before', async () => {
    const [cell] = (await page('print("lazy")')) as [BinderCell];
    expect(loadedModules().filter((name) => name.includes('@codemirror'))).to.deep.equal([]);
    expect(editorOf(cell)).to.equal(null);
    await focusEditor(cell);
    expect(loadedModules().some((name) => name.includes('@codemirror/view'))).to.equal(true);
    expect(editorOf(cell)?.textContent).to.contain('print("lazy")');
  });

  it('runs what the reader typed', async () => {
    const [cell] = (await page('print("as written")')) as [BinderCell];
    await focusEditor(cell);
    await press('a', 'Control');
    await sendKeys({ type: 'print("as typed", 6 * 7)' });
    expect(cell.code).to.equal('print("as typed", 6 * 7)');
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('as typed 42');
  });

  it('runs with Shift-Enter and moves on to the next cell', async () => {
    const [first, second] = (await page('print("first ran")', 'print("second")')) as [
      BinderCell,
      BinderCell,
    ];
    await focusEditor(first);
    await press('Enter', 'Shift');
    await waitForOutput(first, 'first ran');
    expect(first.code).to.equal('print("first ran")');
    await waitFor(() => editorFocused(second), 'the next cell to take focus');
    expect(document.activeElement).to.equal(second);
    expect(outputText(second).trim()).to.equal('');
  });

  it('runs in place with Ctrl-Enter', async () => {
    const [first, second] = (await page('print("in place")', 'print("second")')) as [
      BinderCell,
      BinderCell,
    ];
    await focusEditor(first);
    await press('Enter', 'Control');
    await waitForOutput(first, 'in place');
    expect(first.code).to.equal('print("in place")');
    expect(document.activeElement).to.equal(first);
    expect(editorFocused(first)).to.equal(true);
    expect(editorOf(second)).to.equal(null);
  });

  it('keeps readonly cells as they are, yet runs them', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell readonly><pre>print("read only")</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    cell.focus();
    await sendKeys({ type: 'junk' });
    expect(editorOf(cell)).to.equal(null);
    await cell.edit();
    const editor = editorOf(cell);
    expect(editor, 'a read-only editor, for highlighting').to.not.equal(null);
    await sendKeys({ type: 'junk' });
    expect(cell.code).to.equal('print("read only")');
    expect(shadow(cell).querySelector('.cm-content')?.getAttribute('aria-readonly')).to.equal(
      'true',
    );
    await press('Enter', 'Shift');
    await waitForOutput(cell, 'read only');
  });

  it('has no editor with editor="off", and still runs from the keyboard', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart" editor="off"></binder-config>
        <binder-cell><pre>print("not editable")</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    cell.focus();
    await sendKeys({ type: 'junk' });
    await cell.edit();
    expect(editorOf(cell)).to.equal(null);
    expect(cell.code).to.equal('print("not editable")');
    expect(shadow(cell).querySelector('pre code')?.textContent).to.equal('print("not editable")');
    await press('Enter', 'Control');
    await waitForOutput(cell, 'not editable');
  });

  it('loads the editor at once with editor="eager"', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          editor="eager"
        ></binder-config>
        <binder-cell><pre>print("eager")</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    await waitFor(() => editorOf(cell), 'the editor to load without focus');
    expect(editorFocused(cell)).to.equal(false);
  });

  it('highlights Python', async () => {
    const [cell] = (await page('def square(x):\n    return x * x  # squared')) as [BinderCell];
    await focusEditor(cell);
    const spans = [...shadow(cell).querySelectorAll<HTMLElement>('.cm-line span[class]')];
    const keyword = spans.find((span) => span.textContent === 'def');
    const comment = spans.find((span) => span.textContent?.startsWith('#'));
    expect(keyword, 'a highlighted keyword').to.not.equal(undefined);
    expect(comment, 'a highlighted comment').to.not.equal(undefined);
    const plain = getComputedStyle(shadow(cell).querySelector('.cm-content') as Element).color;
    expect(getComputedStyle(keyword as Element).color).to.not.equal(plain);
    expect(getComputedStyle(comment as Element).color).to.not.equal(plain);
  });
});
