import { expect, html } from '@open-wc/testing';
import { cellsIn, outputs, runAndWait } from '../../test-support/cells.js';
import { testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

async function displayed(kind: 'Markdown' | 'Latex', source: string): Promise<HTMLElement> {
  const [cell] = (await cellsIn(
    html`<div>
      <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
      <binder-cell>
        <pre>
from IPython.display import ${kind}, display
display(${kind}(r"""${source}"""))</pre>
      </binder-cell>
    </div>`,
  )) as [BinderCell];
  await runAndWait(cell);
  const part = kind.toLowerCase();
  // Shown as its source in a <pre> until the lazily loaded renderer has typeset it.
  return waitFor(
    () => outputs(cell).querySelector(`[part~="${part}"] > :not(pre)`)?.parentElement,
    `typeset ${part}`,
  );
}

describe('math', () => {
  it('leaves dollars inside Markdown code spans as code', async () => {
    const shown = await displayed('Markdown', 'Use `$HOME` and `$PATH`, and $x^2$ too.');
    expect([...shown.querySelectorAll('code')].map((code) => code.textContent)).to.deep.equal([
      '$HOME',
      '$PATH',
    ]);
    expect(shown.querySelectorAll('math')).to.have.length(1);
    expect(shown.querySelector('math msup')).to.not.equal(null);
    expect(shown.textContent).to.contain('Use $HOME and $PATH, and');
  });

  it('keeps code blocks and dollar amounts as they are', async () => {
    const shown = await displayed('Markdown', 'It costs $5 and $10.\n\n```\necho $A $B\n```');
    expect(shown.querySelectorAll('math')).to.have.length(0);
    expect(shown.querySelector('p')?.textContent).to.equal('It costs $5 and $10.');
    expect(shown.querySelector('pre code')?.textContent).to.equal('echo $A $B\n');
  });

  it('typesets the math inside LaTeX text and keeps the text', async () => {
    const shown = await displayed('Latex', 'text $x$ text \\(y^2\\) and $$\\frac{a}{b}$$ end');
    const formulas = [...shown.querySelectorAll('math')];
    expect(formulas.map((math) => math.getAttribute('display'))).to.deep.equal([
      null,
      null,
      'block',
    ]);
    expect(formulas[2]?.querySelector('mfrac')).to.not.equal(null);
    expect(shown.querySelector('.katex-error, merror'), 'no parse error').to.equal(null);
    expect(shown.textContent?.replace(/\s+/g, ' ').trim()).to.match(/^text .* text .* and .* end$/);
  });

  it('typesets a whole LaTeX formula as display math', async () => {
    const shown = await displayed('Latex', '$\\sqrt{2}$');
    expect(shown.querySelector('math')?.getAttribute('display')).to.equal('block');
    expect(shown.querySelector('msqrt')).to.not.equal(null);
  });
});
