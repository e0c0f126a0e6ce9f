import { expect, html } from '@open-wc/testing';
import { cellsIn, outputs, runAndWait } from '../../test-support/cells.js';
import { testServer } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import { ansiToHtml } from './ansi-html.js';

const classesOf = (markup: string) =>
  [...markup.matchAll(/class="([^"]*)"/g)].map((match) => (match[1] ?? '').split(' ').sort());

describe('ansiToHtml', () => {
  it('turns colour codes into classed spans and escapes HTML', () => {
    const html = ansiToHtml('\u001b[0;31mValueError\u001b[0m: <bad> & worse');
    expect(html).to.equal(
      '<span class="ansi-fg ansi-red-fg">ValueError</span>: &lt;bad&gt; &amp; worse',
    );
  });

  it('does not carry an unclosed colour into the next text', () => {
    ansiToHtml('\u001b[31mred without reset');
    expect(ansiToHtml('plain')).to.equal('plain');
  });

  it('keeps the 16 theme colours, and gives other colours exact classes, never styles', () => {
    // IPython's tracebacks: bold green keywords in 256-colour codes.
    expect(classesOf(ansiToHtml('\u001b[1;38;5;28mimport\u001b[0m'))).to.deep.equal([
      ['ansi-bold', 'ansi-fg', 'ansi-fg-008700'],
    ]);
    expect(classesOf(ansiToHtml('\u001b[1;38;5;28mimport\u001b[0m', 'theme'))).to.deep.equal([
      ['ansi-bold', 'ansi-fg', 'ansi-green-fg'],
    ]);
    expect(
      classesOf(ansiToHtml('\u001b[38;5;1ma\u001b[48;5;208mb\u001b[38;2;1;2;300mc')),
    ).to.deep.equal([
      ['ansi-fg', 'ansi-red-fg'],
      ['ansi-bg', 'ansi-bg-ff8700', 'ansi-fg', 'ansi-red-fg'],
      ['ansi-bg', 'ansi-bg-ff8700', 'ansi-fg', 'ansi-fg-0102ff'],
    ]);
    expect(classesOf(ansiToHtml('\u001b[3;4;2;7;9mall\u001b[m'))).to.deep.equal([
      ['ansi-faint', 'ansi-italic', 'ansi-reverse', 'ansi-strikethrough', 'ansi-underline'],
    ]);
    expect(ansiToHtml('\u001b[1mbold\u001b[22m \u001b[7mreverse\u001b[27m plain')).to.equal(
      '<span class="ansi-bold">bold</span> <span class="ansi-reverse">reverse</span> plain',
    );
  });
});

describe('ANSI in a cell', () => {
  it('shows exact colours and reverse video with classes only', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>
print("\\x1b[38;5;208morange\\x1b[0m \\x1b[38;2;10;20;30mexact\\x1b[0m \\x1b[48;5;21mblue\\x1b[0m")
print("\\x1b[7mreverse\\x1b[27m \\x1b[31;7mred reverse\\x1b[0m \\x1b[48;5;21;7mblue reverse\\x1b[0m")</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell];
    await runAndWait(cell);
    const spans = [...outputs(cell).querySelectorAll('[part~="stream"] span')];
    const style = (text: string) => {
      const span = spans.find((element) => element.textContent === text);
      if (!span) throw new Error(`no span "${text}"`);
      const { color, backgroundColor } = getComputedStyle(span);
      return { color, backgroundColor };
    };
    const page = getComputedStyle(outputs(cell));
    const foreground = getComputedStyle(cell).color;
    expect(style('orange').color).to.equal('rgb(255, 135, 0)');
    expect(style('exact').color).to.equal('rgb(10, 20, 30)');
    expect(style('blue').backgroundColor).to.equal('rgb(0, 0, 255)');
    expect(style('reverse')).to.deep.equal({
      color: page.backgroundColor,
      backgroundColor: foreground,
    });
    expect(style('red reverse')).to.deep.equal({
      color: page.backgroundColor,
      backgroundColor: 'rgb(164, 14, 38)',
    });
    expect(style('blue reverse')).to.deep.equal({
      color: 'rgb(0, 0, 255)',
      backgroundColor: foreground,
    });
    expect(outputs(cell).querySelectorAll('[style]')).to.have.length(0);
  });
});
