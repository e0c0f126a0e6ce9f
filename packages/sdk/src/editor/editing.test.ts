import { expect, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
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

/**
 * A viewport point just inside the left edge of the character at `index` of the cell's static
 * code: a click there puts the caret before that character.
 */
function pointBefore(cell: BinderCell, index: number): [number, number] {
  const code = shadow(cell).querySelector('.code > pre > code') as Element;
  const texts = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  let rest = index;
  for (let node = texts.nextNode() as Text | null; node; node = texts.nextNode() as Text | null) {
    if (rest < node.data.length) {
      const character = document.createRange();
      character.setStart(node, rest);
      character.setEnd(node, rest + 1);
      const box = character.getBoundingClientRect();
      return [Math.round(box.left + 2), Math.round(box.top + box.height / 2)];
    }
    rest -= node.data.length;
  }
  throw new Error(`no character ${index} in the code`);
}

/** Clicks the static code before `token` and waits for the editor to take the focus. */
async function clickBefore(cell: BinderCell, token: string): Promise<void> {
  const position = pointBefore(cell, cell.code.indexOf(token));
  await sendMouse({ type: 'click', position });
  await waitFor(() => editorFocused(cell), 'the editor to load and take focus');
}

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

  it('indents a new block with four spaces, as Jupyter does', async () => {
    const [cell] = (await page('pass')) as [BinderCell];
    await focusEditor(cell);
    await press('a', 'Control');
    await sendKeys({ type: 'def twice(x):' });
    await press('Enter');
    await sendKeys({ type: 'return 2 * x' });
    expect(cell.code).to.equal('def twice(x):\n    return 2 * x');
  });

  it('opens with the caret where the reader clicked, in any cell', async () => {
    const [first, second] = (await page(
      '# a comment\nx = 1\nprint(x * 2)',
      '# another\ntotal = 1 + len("abc")\nprint(total)',
    )) as [BinderCell, BinderCell];
    await clickBefore(first, '1\n');
    await sendKeys({ type: '4' });
    expect(first.code).to.equal('# a comment\nx = 41\nprint(x * 2)');
    await clickBefore(second, 'len');
    await sendKeys({ type: '2 * ' });
    expect(second.code).to.equal('# another\ntotal = 1 + 2 * len("abc")\nprint(total)');
    await runAndWait(first);
    await runAndWait(second);
    expect(outputText(first).trim()).to.equal('82');
    expect(outputText(second).trim()).to.equal('7');
  });

  it('opens with the text the reader dragged over selected', async () => {
    const [cell] = (await page('print("abc", "def")')) as [BinderCell];
    const from = pointBefore(cell, cell.code.indexOf('abc'));
    const to = pointBefore(cell, cell.code.indexOf('", "def'));
    await sendMouse({ type: 'move', position: from });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: to });
    await sendMouse({ type: 'up' });
    await waitFor(() => editorFocused(cell), 'the editor to load and take focus');
    await sendKeys({ type: 'xyz' });
    expect(cell.code).to.equal('print("xyz", "def")');
    await runAndWait(cell);
    expect(outputText(cell).trim()).to.equal('xyz def');
  });

  it('opens with the caret at the start when focused from the keyboard', async () => {
    const [cell] = (await page('print("keys")')) as [BinderCell];
    await focusEditor(cell);
    await sendKeys({ type: '1; ' });
    expect(cell.code).to.equal('1; print("keys")');
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
