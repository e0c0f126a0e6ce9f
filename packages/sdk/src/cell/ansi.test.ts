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
});
