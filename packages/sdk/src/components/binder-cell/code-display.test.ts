import { expect, html } from '@open-wc/testing';
import {
  cellsIn,
  loadedModules,
  outputText,
  part,
  runAndWait,
  shadow,
} from '../../../test-support/cells.js';
import { testServer, waitFor } from '../../../test-support/server.js';
import type { BinderCell } from './binder-cell.component.js';

interface Sample {
  language: string;
  code: string;
  /** Tokens to find by their text, in the static code and then in the editor. */
  tokens: Array<[text: string, kind: string]>;
}

const SAMPLES: Sample[] = [
  {
    language: 'python',
    code: 'def area(r):\n    """Of a circle."""\n    return 3.14 * r ** 2  # approx.\n\nprint(area(2))',
    tokens: [
      ['def', 'keyword'],
      ['area', 'function'],
      ['"""Of a circle."""', 'string'],
      ['3.14', 'number'],
      ['# approx.', 'comment'],
    ],
  },
  {
    language: 'r',
    code: 'square <- function(x) {\n  # the square\n  x^2 + "one"\n}',
    tokens: [
      ['function', 'keyword'],
      ['# the square', 'comment'],
      ['2', 'number'],
      ['"one"', 'string'],
    ],
  },
  {
    language: 'julia',
    code: 'function f(x)\n    return x + 1.5  # more\nend',
    tokens: [
      ['function', 'keyword'],
      ['1.5', 'number'],
      ['# more', 'comment'],
    ],
  },
  {
    language: 'javascript',
    code: 'const n = 42;\n// the answer\nconsole.log("n", n);',
    tokens: [
      ['const', 'keyword'],
      ['42', 'number'],
      ['// the answer', 'comment'],
      ['"n"', 'string'],
    ],
  },
];

/** What a reader sees of a token: where it is and how it looks. */
interface Look {
  box: DOMRect;
  color: string;
  fontStyle: string;
  classes: string;
}

const codeArea = (cell: BinderCell) => part(cell, 'code') as HTMLElement;
const editorOf = (cell: BinderCell) => shadow(cell).querySelector<HTMLElement>('.cm-editor');

/** The highlighted element holding exactly `text` in the code area (static code or editor). */
function token(cell: BinderCell, text: string): HTMLElement | undefined {
  return [...codeArea(cell).querySelectorAll<HTMLElement>('[class*="tok-"]')].find(
    (element) => element.textContent === text,
  );
}

function lookOf(element: HTMLElement): Look {
  const style = getComputedStyle(element);
  return {
    box: element.getBoundingClientRect(),
    color: style.color,
    fontStyle: style.fontStyle,
    classes: element.className,
  };
}

function expectSameBox(after: DOMRect, before: DOMRect, what: string): void {
  for (const side of ['left', 'top', 'width', 'height'] as const) {
    expect(Math.abs(after[side] - before[side]), `${what}: ${side}`).to.be.at.most(1);
  }
}

/** The separate lines a text takes on screen (its fragments' distinct tops). */
function screenLines(node: Node): number {
  const range = document.createRange();
  range.selectNodeContents(node);
  return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
}

function page(code: string, language: string) {
  return cellsIn(
    html`<div style="width: 24rem">
      <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
      <binder-cell language=${language}><pre>${code}</pre></binder-cell>
    </div>`,
  );
}

describe('code display', () => {
  it('highlights code from the start, without loading the editor', async () => {
    const [cell] = (await page(SAMPLES[0]?.code ?? '', 'python')) as [BinderCell];
    const keyword = await waitFor(() => token(cell, 'def'), 'highlighted code');
    expect(editorOf(cell)).to.equal(null);
    expect(loadedModules().filter((name) => name.includes('@codemirror'))).to.deep.equal([]);
    expect(getComputedStyle(keyword).color).to.equal('rgb(207, 34, 46)');
    expect(getComputedStyle(token(cell, '# approx.') as HTMLElement).fontStyle).to.equal('italic');
    expect(shadow(cell).querySelector('pre')?.textContent).to.equal(SAMPLES[0]?.code);
  });

  for (const sample of SAMPLES) {
    it(`hands ${sample.language} over to the editor without moving or restyling a character`, async () => {
      const [cell] = (await page(sample.code, sample.language)) as [BinderCell];
      const [first] = sample.tokens[0] ?? [''];
      await waitFor(() => token(cell, first), `highlighted ${sample.language}`);
      const area = codeArea(cell).getBoundingClientRect();
      const before = sample.tokens.map(([text, kind]) => {
        const element = token(cell, text);
        expect(element?.className, `${text} in the static code`).to.contain(`tok-${kind}`);
        return lookOf(element as HTMLElement);
      });

      cell.focus();
      await waitFor(() => editorOf(cell) && token(cell, first), 'the editor, highlighted');
      expectSameBox(codeArea(cell).getBoundingClientRect(), area, 'the code area');
      sample.tokens.forEach(([text], index) => {
        const after = lookOf(token(cell, text) as HTMLElement);
        const was = before[index] as Look;
        expectSameBox(after.box, was.box, text);
        expect([after.color, after.fontStyle, after.classes], text).to.deep.equal([
          was.color,
          was.fontStyle,
          was.classes,
        ]);
      });
    });
  }

  it('scrolls a long statement on one line, in the static code and the editor', async () => {
    const terms = Array.from({ length: 24 }, (_, n) => `${n + 1} * 1000`).join(' + ');
    const [cell] = (await page(`total = ${terms}\nprint("total:", total)`, 'python')) as [
      BinderCell,
    ];
    const pre = shadow(cell).querySelector('pre') as HTMLElement;
    const lineHeight = parseFloat(getComputedStyle(pre).lineHeight);
    expect(pre.scrollWidth).to.be.greaterThan(pre.clientWidth);
    expect(screenLines(pre)).to.equal(2);

    await runAndWait(cell);
    expect(outputText(cell)).to.contain('total: 300000');

    cell.focus();
    const scroller = await waitFor(
      () => shadow(cell).querySelector<HTMLElement>('.cm-scroller'),
      'the editor',
    );
    expect(scroller.scrollWidth).to.be.greaterThan(scroller.clientWidth);
    const lines = [...shadow(cell).querySelectorAll('.cm-line')];
    expect(lines.map(screenLines)).to.deep.equal([1, 1]);
    expect(lines[0]?.getBoundingClientRect().height).to.be.closeTo(lineHeight, 1);
  });
});
