import { expect, html } from '@open-wc/testing';
import { cellsIn, outputs, outputText, runAndWait } from '../../test-support/cells.js';
import { testServer } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import { PYTHON_PROMPTS, stripPrompts } from './prompts.js';

const DOCTEST = `>>> total = 0
>>> for n in range(1, 4):
...     total += n
...
>>> print("total:", total)
total: 6
>>> print("a\\n\\nb")
a
<BLANKLINE>
b`;

describe('stripPrompts', () => {
  it('keeps the prompted lines without their prompts, and the rest as output', () => {
    expect(stripPrompts(DOCTEST, PYTHON_PROMPTS)).to.deep.equal({
      code: 'total = 0\nfor n in range(1, 4):\n    total += n\n\nprint("total:", total)\nprint("a\\n\\nb")',
      output: 'total: 6\na\n\nb',
    });
  });

  it('takes continuation prompts only right after a prompted line', () => {
    const transcript = '>>> print("x\\n... y")\nx\n... y\n>>> 1';
    expect(stripPrompts(transcript, PYTHON_PROMPTS)).to.deep.equal({
      code: 'print("x\\n... y")\n1',
      output: 'x\n... y',
    });
    expect(stripPrompts('  >>> x = 1\n  ... y = 2', PYTHON_PROMPTS)?.code).to.equal('x = 1\ny = 2');
  });

  it('takes other prompts, and leaves code without prompts as it is', () => {
    const ipython = { input: 'In [1]: ', continuation: '   ...: ' };
    expect(stripPrompts('In [1]: def f():\n   ...:     return 1\n', ipython)?.code).to.equal(
      'def f():\n    return 1',
    );
    expect(stripPrompts('print(">>> ")', PYTHON_PROMPTS)).to.equal(undefined);
  });
});

describe('cells of console transcripts (in-prompt)', () => {
  it('run the prompted lines, showing the transcript output until they run', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell in-prompt=">>> "><pre>${DOCTEST}</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    const slot = outputs(cell).querySelector<HTMLSlotElement>('slot[name="output"]');
    expect(slot?.assignedElements()[0]?.textContent).to.equal('total: 6\na\n\nb');
    expect(cell.code).to.contain('for n in range(1, 4):\n    total += n');
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('total: 6\na\n\nb');
    expect(outputText(cell)).not.to.contain('Error');
  });

  it("take the prompts of their group's <binder-config>; code without prompts runs as written", async () => {
    const [transcript, plain] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          in-prompt="In [1]: "
          continuation-prompt="   ...: "
        ></binder-config>
        <binder-cell>
          <pre>
In [1]: squares = [n * n for n in range(4)]
In [1]: print(squares,
   ...:       sum(squares))
[0, 1, 4, 9] 14</pre>
        </binder-cell>
        <binder-cell><pre>print("no prompts")</pre></binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    await runAndWait(transcript);
    expect(outputText(transcript)).to.contain('[0, 1, 4, 9] 14');
    await runAndWait(plain);
    expect(outputText(plain)).to.contain('no prompts');
    expect(plain.querySelector('[slot="output"]')).to.equal(null);
  });

  it('show the value of each statement, as the console does, and only for the transcript', async () => {
    const [transcript, after] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell in-prompt=">>> ">
          <pre>
&gt;&gt;&gt; xs = [3, 1, 2]
&gt;&gt;&gt; len(xs)
3
&gt;&gt;&gt; sorted(xs)
[1, 2, 3]
&gt;&gt;&gt; xs[0] * 10
30</pre>
        </binder-cell>
        <binder-cell>
          <pre>
"not shown"
"shown"</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    await runAndWait(transcript);
    const results = [...outputs(transcript).querySelectorAll('[part~="output"]')].map((output) =>
      output.textContent?.trim(),
    );
    expect(results).to.deep.equal(['3', '[1, 2, 3]', '30']);
    await runAndWait(after);
    expect(outputText(after)).to.contain("'shown'");
    expect(outputText(after)).not.to.contain('not shown');
  });
});
