import { expect } from '@open-wc/testing';
import { ansiToHtml } from './ansi.js';

describe('ansiToHtml', () => {
  it('turns colour codes into classed spans and escapes HTML', () => {
    const html = ansiToHtml('\u001b[0;31mValueError\u001b[0m: <bad> & worse');
    expect(html).to.contain('class="ansi-red-fg"');
    expect(html).to.contain('&lt;bad&gt; &amp; worse');
    expect(html).not.to.contain('\u001b');
  });

  it('does not carry an unclosed colour into the next text', () => {
    ansiToHtml('\u001b[31mred without reset');
    expect(ansiToHtml('plain')).to.equal('plain');
  });

  it('uses classes, never style attributes, for bold and 256 colours', () => {
    // IPython's tracebacks: bold green keywords in 256-colour codes.
    expect(ansiToHtml('\u001b[1;38;5;28mimport\u001b[0m')).to.equal(
      '<span class="ansi-bold ansi-green-fg">import</span>',
    );
    expect(ansiToHtml('\u001b[48;5;196mred\u001b[0m')).to.equal(
      '<span class="ansi-red-bg">red</span>',
    );
    expect(ansiToHtml('\u001b[3;4;2mall\u001b[0m')).to.equal(
      '<span class="ansi-faint ansi-italic ansi-underline">all</span>',
    );
  });
});
