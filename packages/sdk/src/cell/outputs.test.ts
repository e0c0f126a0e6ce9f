import { expect, html } from '@open-wc/testing';
import {
  cellsIn,
  loadedModules,
  outputs,
  outputText,
  runAndWait,
  shadow,
} from '../../test-support/cells.js';
import { testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

async function cell(code: string, config: { allowJavascript?: boolean } = {}) {
  // A group of its own, so that its <binder-config> is the one that counts.
  const group = config.allowJavascript ? 'javascript' : '';
  const [only] = await cellsIn(
    html`<div>
      <binder-config
        server=${testServer()}
        repo="local/quickstart"
        session=${group}
        ?allow-javascript=${config.allowJavascript}
      ></binder-config>
      <binder-cell session=${group}><pre>${code}</pre></binder-cell>
    </div>`,
  );
  return only as BinderCell;
}

const GIF = 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';

describe('outputs', () => {
  it('typesets Markdown with math as MathML, loading KaTeX only then', async () => {
    const target = await cell(
      'from IPython.display import Markdown, display\n' +
        'display(Markdown("The **square**: $x^2$"))',
    );
    expect(loadedModules().filter((name) => /katex|marked/.test(name))).to.deep.equal([]);
    await runAndWait(target);
    const math = await waitFor(
      () => outputs(target).querySelector('[part~="markdown"] math'),
      'typeset math',
    );
    expect(math.querySelector('msup')).to.not.equal(null);
    expect(outputs(target).querySelector('[part~="markdown"] strong')?.textContent).to.equal(
      'square',
    );
    expect(loadedModules().some((name) => name.includes('katex'))).to.equal(true);
  });

  it('typesets text/latex', async () => {
    const target = await cell(
      'from IPython.display import Latex, display\ndisplay(Latex(r"$$\\frac{a}{b}$$"))',
    );
    await runAndWait(target);
    const math = await waitFor(
      () => outputs(target).querySelector('[part~="latex"] math'),
      'typeset LaTeX',
    );
    expect(math.querySelector('mfrac')).to.not.equal(null);
    expect(outputs(target).querySelector('[part~="latex"] pre'), 'the source shown').to.equal(null);
  });

  it('shows JSON as a tree that opens level by level', async () => {
    const target = await cell(
      'from IPython.display import JSON, display\n' +
        'display(JSON({"name": "binder", "nested": {"list": [1, 2, 3]}}))',
    );
    await runAndWait(target);
    const tree = outputs(target).querySelector('[part~="json"]') as HTMLElement;
    const [top, nested] = [...tree.querySelectorAll('details')] as [
      HTMLDetailsElement,
      HTMLDetailsElement,
    ];
    expect(top.open).to.equal(true);
    expect(nested.open).to.equal(false);
    expect(tree.textContent).to.contain('"binder"');
    (nested.querySelector('summary') as HTMLElement).click();
    expect(nested.open).to.equal(true);
    await expect(target).to.be.accessible();
  });

  it('shows GIF images', async () => {
    const target = await cell(
      `import base64\nfrom IPython.display import Image, display\n` +
        `display(Image(data=base64.b64decode("${GIF}"), format="gif"))`,
    );
    await runAndWait(target);
    const image = outputs(target).querySelector('img') as HTMLImageElement;
    expect(image.src).to.match(/^data:image\/gif;base64,/);
    await waitFor(() => image.complete && image.naturalWidth === 1, 'the GIF to load');
  });

  it('updates a display by its display_id, also from a later cell', async () => {
    const [shows, updates] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>
shown = display("draft", display_id="progress")
shown.update("in place")</pre>
        </binder-cell>
        <binder-cell><pre>shown.update("from later")</pre></binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    await runAndWait(shows);
    expect(outputText(shows)).to.contain('in place');
    expect(outputText(shows)).not.to.contain('draft');
    await runAndWait(updates);
    await waitFor(() => outputText(shows).includes('from later'), 'the later update');
    expect(outputText(updates).trim()).to.equal('');
  });

  it('replaces outputs on clear_output(wait=True) with no empty moment', async () => {
    const target = await cell(
      'import time\nfrom IPython.display import clear_output\n' +
        'for step in range(4):\n' +
        '    clear_output(wait=True)\n' +
        '    print(f"step {step}", flush=True)\n' +
        '    time.sleep(0.2)',
    );
    const seen: number[] = [];
    const observer = new MutationObserver(() =>
      seen.push(outputs(target).querySelectorAll('[part~="output"]').length),
    );
    observer.observe(shadow(target), { childList: true, subtree: true, characterData: true });
    await runAndWait(target);
    observer.disconnect();
    expect(outputText(target).trim()).to.equal('step 3');
    const firstShown = seen.indexOf(1);
    expect(firstShown).to.be.greaterThan(-1);
    expect(seen.slice(firstShown), 'outputs per change once shown').not.to.include(0);
  });

  it('sanitises HTML, Markdown included', async () => {
    const target = await cell(
      'from IPython.display import HTML, Markdown, display\n' +
        'display(HTML(\'<i>kept</i><script>window.htmlRan = 1</script><img src="x:" onerror="window.htmlRan = 2">\'))\n' +
        'display(Markdown(\'<img src="x:" onerror="window.htmlRan = 3"> *also kept*\'))',
    );
    await runAndWait(target);
    await waitFor(() => outputs(target).querySelector('[part~="markdown"] em'), 'the Markdown');
    expect(outputs(target).querySelector('i')?.textContent).to.equal('kept');
    expect(outputs(target).querySelectorAll('script, [onerror]')).to.have.length(0);
    expect((window as { htmlRan?: number }).htmlRan).to.equal(undefined);
  });

  it('runs application/javascript only on pages that allow it', async () => {
    const code =
      'from IPython.display import Javascript, display\n' +
      'display(Javascript("window.jsRuns = (window.jsRuns ?? 0) + 1; ' +
      'binderCellOutput.textContent = `ran in ${binderCellOutput.className}`"))';
    const state = window as { jsRuns?: number };
    const refused = await cell(code);
    await runAndWait(refused);
    expect(outputText(refused)).to.contain('IPython.core.display.Javascript object');
    expect(state.jsRuns).to.equal(undefined);

    const allowed = await cell(code, { allowJavascript: true });
    await runAndWait(allowed);
    await waitFor(() => state.jsRuns === 1, 'the script to run');
    expect(outputText(allowed)).to.contain('ran in javascript');
    allowed.requestUpdate();
    await allowed.updateComplete;
    expect(state.jsRuns, 'once, however often the cell renders').to.equal(1);
  });

  it('shows pre-rendered outputs until the first run', async () => {
    const [target] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>print("fresh output")</pre>
          <div slot="output"><pre>saved output</pre></div></binder-cell
        >
      </div>`,
    )) as [BinderCell];
    expect(target.code).to.equal('print("fresh output")');
    const slot = outputs(target).querySelector('slot[name="output"]') as HTMLSlotElement;
    expect(slot.assignedElements()[0]?.textContent).to.equal('saved output');
    const saved = target.querySelector('[slot="output"]') as HTMLElement;
    expect(saved.getBoundingClientRect().height).to.be.greaterThan(0);
    await runAndWait(target);
    expect(outputs(target).querySelector('slot')).to.equal(null);
    expect(outputText(target)).to.contain('fresh output');
    expect(saved.getBoundingClientRect().height).to.equal(0);
  });
});
