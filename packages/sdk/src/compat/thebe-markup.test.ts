import { expect, fixture, html } from '@open-wc/testing';
import '../components/binder-cell/binder-cell.js';
import { upgradeCells } from './thebe-markup.js';

const PLAN = {
  selector: '[data-executable]',
  outputSelector: '[data-output]',
  predefinedOutput: true,
  language: undefined,
  readonly: false,
  prompts: undefined,
};

describe('Thebe markup → <binder-cell>', () => {
  it('keeps the code, id, language and read-only flag, and takes the output right after', async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <pre id="first" data-executable="true" data-language="python" data-readonly>
import numpy as np
np.arange(3)</pre>
        <div data-output><p>array([0, 1, 2])</p></div>
        <pre data-executable data-readonly="false">print(1)</pre>
        <p>Between.</p>
        <div data-output>not this cell's: not right after it</div>
      </div>
    `);
    const [first, second] = upgradeCells(page, PLAN);
    expect(page.querySelectorAll('[data-executable]')).to.have.length(0);
    expect(first?.id).to.equal('first');
    expect(first?.classList.contains('thebe-cell')).to.equal(true);
    expect(first?.code).to.equal('import numpy as np\nnp.arange(3)');
    expect(first?.getAttribute('language')).to.equal('python');
    expect(first?.readonly).to.equal(true);
    const output = first?.querySelector('[slot="output"]');
    expect(output?.textContent).to.equal('array([0, 1, 2])');
    expect(second?.readonly).to.equal(false);
    expect(second?.querySelector('[slot="output"]')).to.equal(null);
    expect(page.querySelectorAll('binder-cell + p + [data-output]')).to.have.length(1);
  });

  it('applies codeMirrorConfig defaults, and leaves outputs in place without predefinedOutput', async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <pre class="live">x &lt;- 1</pre>
        <div class="out">static</div>
      </div>
    `);
    const [cell] = upgradeCells(page, {
      ...PLAN,
      selector: 'pre.live',
      outputSelector: '.out',
      predefinedOutput: false,
      language: 'r',
      readonly: true,
    });
    expect(cell?.code).to.equal('x <- 1');
    expect(cell?.getAttribute('language')).to.equal('r');
    expect(cell?.readonly).to.equal(true);
    expect(page.querySelector('binder-cell + .out:not([slot])')?.textContent).to.equal('static');
  });

  it('upgrades each cell once, and makes thebe-init cells run first', async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <div class="cell tag_thebe-init">
          <pre data-executable>import math</pre>
        </div>
        <div data-executable><pre data-executable>nested</pre></div>
      </div>
    `);
    const cells = upgradeCells(page, PLAN);
    expect(cells.map((cell) => cell.code)).to.deep.equal(['import math', 'nested']);
    expect(cells[0]?.setup).to.equal(true);
    expect(cells[1]?.setup).to.equal(false);
    expect(upgradeCells(page, { ...PLAN, selector: 'pre' })).to.deep.equal([]);
  });

  it('strips prompts from transcripts; the output Thebe shows wins over the transcript', async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <pre data-executable>
>>> for n in range(2):
...     print(n)
0
1</pre>
        <pre data-executable>
&gt;&gt;&gt; 6 * 7
42</pre>
        <div data-output>forty-two</div>
      </div>
    `);
    const [loop, product] = upgradeCells(page, {
      ...PLAN,
      prompts: { input: '>>> ', continuation: '... ' },
    });
    expect(loop?.getAttribute('in-prompt')).to.equal('>>> ');
    expect(loop?.code).to.equal('for n in range(2):\n    print(n)');
    expect(loop?.querySelector('[slot="output"]')?.textContent).to.equal('0\n1');
    expect(product?.code).to.equal('6 * 7');
    expect(product?.querySelector('[slot="output"]')?.textContent).to.equal('forty-two');
  });

  it("takes the output area after the code's wrappers: Jupyter Book and nbconvert cells", async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <div class="cell docutils container">
          <div class="cell_input docutils container">
            <div class="highlight-ipython3 notranslate">
              <div class="highlight">
                <pre><span class="n">x</span> = 6 * 7</pre>
              </div>
            </div>
          </div>
          <div class="cell_output docutils container"><pre>42</pre></div>
        </div>
        <div class="jp-Cell jp-CodeCell">
          <div class="jp-Cell-inputWrapper">
            <div class="jp-InputArea">
              <div class="jp-InputPrompt">In&nbsp;[1]:</div>
              <div class="jp-InputArea-editor">
                <div class="highlight"><pre>print(x)</pre></div>
              </div>
            </div>
          </div>
          <div class="jp-Cell-outputWrapper"><pre>42</pre></div>
        </div>
        <div class="cell_input"><pre>no output</pre></div>
        <p>Prose.</p>
        <div class="cell_output">not its output: not right after its wrapper</div>
      </div>
    `);
    const cells = upgradeCells(page, {
      ...PLAN,
      selector: '.cell_input pre, .jp-InputArea-editor',
      outputSelector: '.cell_output, .jp-Cell-outputWrapper',
    });
    expect(cells.map((cell) => cell.code)).to.deep.equal(['x = 6 * 7', 'print(x)', 'no output']);
    expect(cells.map((cell) => cell.querySelector('[slot="output"]')?.textContent)).to.deep.equal([
      '42',
      '42',
      undefined,
    ]);
  });
});
