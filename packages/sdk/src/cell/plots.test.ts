import { expect, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import {
  cellsIn,
  loadedModules,
  outputs,
  outputText,
  part,
  runAndWait,
  shadow,
} from '../../test-support/cells.js';
import { jupyterServer, testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

/** Cells on `local/plots` (plotly, altair, bokeh, pandas, tqdm from the package index). */
async function plotCells(codes: string[], config: { allowJavascript?: boolean } = {}) {
  const group = config.allowJavascript ? 'plots-javascript' : 'plots';
  return cellsIn(
    html`<div>
      <binder-config
        server=${testServer()}
        repo="local/plots"
        session=${group}
        ?allow-javascript=${config.allowJavascript}
      ></binder-config>
      ${codes.map((code) => html`<binder-cell session=${group}><pre>${code}</pre></binder-cell>`)}
    </div>`,
  );
}

/** The first element matching `selector` under `root`, looking into shadow roots too. */
function deepQuery<T extends Element>(root: ParentNode, selector: string): T | undefined {
  const found = root.querySelector<T>(selector);
  if (found) return found;
  for (const element of root.querySelectorAll('*')) {
    const inner = element.shadowRoot ? deepQuery<T>(element.shadowRoot, selector) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The centre of an element, in the page's CSS pixels (what sendMouse takes). */
function centre(element: Element): [number, number] {
  element.scrollIntoView({ block: 'center' });
  const box = element.getBoundingClientRect();
  return [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
}

const plotProblem = (cell: BinderCell) =>
  outputs(cell).querySelector('.plot-problem')?.textContent ?? '';
const note = (cell: BinderCell) => outputs(cell).querySelector<HTMLElement>('[part~="note"]');
/** The reason a plot gives for not being drawn, a failure or a note, or undefined (for waitFor). */
const reason = (cell: BinderCell) => plotProblem(cell) || note(cell)?.textContent || undefined;

/** Checks that a cell shows `text` as a note: in the muted colour of its status line, not the error colour. */
async function expectNote(cell: BinderCell, text: string): Promise<void> {
  const shown = await waitFor(() => note(cell), `a note in the outputs`);
  expect(shown.textContent).to.contain(text);
  const muted = getComputedStyle(part(cell, 'status') as Element).color;
  expect(getComputedStyle(shown).color, 'the muted colour').to.equal(muted);
  expect(plotProblem(cell), 'no failure shown').to.equal('');
}

/** Waits for `selector` in a cell's outputs (shadow roots included), failing with the reason a plot gives. */
async function drawn<T extends Element>(cell: BinderCell, selector: string): Promise<T> {
  const found = await waitFor(
    () => deepQuery<T>(outputs(cell), selector) ?? reason(cell),
    `${selector} or a reason`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the outputs show: ${outputText(cell).trim()}`);
  });
  expect(plotProblem(cell), 'the reason the plot was not drawn').to.equal('');
  return found as T;
}

describe('plots', () => {
  it('draws a Plotly figure with its trace, loading plotly.js only then', async () => {
    const [cell] = await plotCells([
      'import plotly.express as px\npx.line(x=[1, 2, 3], y=[3, 1, 2])',
    ]);
    expect(loadedModules().filter((name) => name.includes('plotly'))).to.deep.equal([]);
    await runAndWait(cell!);
    const line = await drawn(cell!, '.js-plotly-plot .scatterlayer .trace path.js-line');
    expect(line.getAttribute('d')).to.match(/^M[\d.]+,[\d.]+L/);
    expect(loadedModules().some((name) => name.includes('plotly'))).to.equal(true);
    // plotly.js's own stylesheet reached the cell's shadow root: its modebar is positioned.
    const modebar = outputs(cell!).querySelector('.modebar') as HTMLElement;
    expect(getComputedStyle(modebar).position).to.equal('absolute');
  });

  it('answers hover, legend clicks and the cell resizing', async () => {
    const [cell] = await plotCells([
      'import plotly.express as px\n' +
        'px.line(x=[1, 2, 3, 1, 2, 3], y=[3, 1, 2, 1, 2, 3], color=["a"] * 3 + ["b"] * 3)',
    ]);
    await runAndWait(cell!);
    const root = outputs(cell!);
    await waitFor(() => root.querySelectorAll('.scatterlayer .trace').length === 2, 'two traces');

    const point = root.querySelector('.scatterlayer .trace .points path, .nsewdrag') as Element;
    await sendMouse({ type: 'move', position: centre(point) });
    await waitFor(() => root.querySelector('.hoverlayer .hovertext'), 'a hover label');

    await sendMouse({ type: 'move', position: [0, 0] });
    const toggle = root.querySelector('.legend .traces .legendtoggle') as Element;
    const position = centre(toggle);
    expect(
      shadow(cell!).elementFromPoint(...position),
      'the legend item under the pointer',
    ).to.equal(toggle);
    const graph = root.querySelector('.js-plotly-plot');
    await sendMouse({ type: 'click', position });
    await waitFor(
      () => root.querySelectorAll('.scatterlayer .trace').length === 1,
      'the clicked trace to hide',
    );

    expect(root.querySelector('.js-plotly-plot'), 'the same plot, not drawn again').to.equal(graph);
    const svg = root.querySelector('.js-plotly-plot .main-svg') as SVGSVGElement;
    const wide = Number(svg.getAttribute('width'));
    cell!.style.width = '420px';
    await waitFor(() => Number(svg.getAttribute('width')) < wide, 'the plot to follow the cell');
    expect(Number(svg.getAttribute('width'))).to.be.at.most(420);
  });

  it("draws Altair's default HTML output with the bundled Vega, and its mimetype output", async () => {
    const chart =
      'import altair as alt, pandas as pd\n' +
      'df = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})\n' +
      'alt.Chart(df).mark_line().encode(x="x", y="y")';
    const [html, mimetype] = await plotCells([
      chart,
      `alt.renderers.enable("mimetype")\n${chart.split('\n').at(-1)}`,
    ]);
    for (const cell of [html!, mimetype!]) {
      await runAndWait(cell);
      const path = await drawn(cell, '[part~="plot"] svg .mark-line path');
      expect(path.getAttribute('d')).to.match(/^M[\d.]+,[\d.]+L/);
      expect(outputs(cell).querySelector('script'), 'no CDN script').to.equal(null);
    }
  });

  it('says why a Bokeh plot cannot be drawn on a server that does not serve BokehJS', async () => {
    // BokehJS already on the page would be used, as it should: this runs before any loads it.
    expect((window as { Bokeh?: unknown }).Bokeh, 'no BokehJS on the page yet').to.equal(undefined);
    const jupyter = await jupyterServer('plots');
    const [load, show] = (await cellsIn(
      html`<div>
        ${[
          'from bokeh.io import output_notebook\noutput_notebook()',
          'from bokeh.plotting import figure, show\np = figure()\np.line([1, 2], [2, 1])\nshow(p)',
        ].map(
          (code) =>
            html`<binder-cell
              kind="jupyter"
              server=${jupyter.url}
              token=${jupyter.token}
              session="plain-jupyter"
            >
              <pre>${code}</pre>
            </binder-cell>`,
        )}
      </div>`,
    )) as [BinderCell, BinderCell];
    for (const cell of [load, show]) {
      await runAndWait(cell);
      await expectNote(cell, 'does not serve BokehJS');
      expect(outputText(cell)).not.to.contain('Loading BokehJS ...');
    }
  });

  it('draws a Bokeh plot with the BokehJS of the session, leaving no spinner', async () => {
    const [load, show] = await plotCells([
      'from bokeh.io import output_notebook\noutput_notebook()',
      'from bokeh.plotting import figure, show\n' +
        'p = figure(width=300, height=200)\np.line([1, 2, 3], [3, 1, 2])\nshow(p)',
    ]);
    await runAndWait(load!);
    await waitFor(
      () => outputText(load!).includes('successfully loaded.') || reason(load!),
      'the load to end',
    );
    expect(plotProblem(load!), 'the reason BokehJS did not load').to.equal('');
    expect(outputText(load!)).to.match(/^\s*BokehJS \d+\.\d+\.\d+\S* successfully loaded\.\s*$/);
    await runAndWait(show!);
    const canvas = await drawn<HTMLCanvasElement>(show!, 'canvas');
    await waitFor(() => canvas.width > 0 && canvas.height > 0, 'a drawn canvas');
    expect(outputs(show!).querySelector('[data-root-id]'), 'no empty root strip').to.equal(null);
  });

  it('notes, not as an error, that a Bokeh plot with CustomJS needs allow-javascript', async () => {
    const [cell] = await plotCells([
      'from bokeh.io import output_notebook\n' +
        'from bokeh.models import CustomJS\n' +
        'from bokeh.plotting import figure, show\n' +
        'output_notebook()\n' +
        'p = figure(width=300, height=200)\np.line([1, 2, 3], [3, 1, 2])\n' +
        'p.js_on_event("tap", CustomJS(code="console.log(1)"))\nshow(p)',
    ]);
    await runAndWait(cell!);
    await expectNote(cell!, 'CustomJS callbacks: it is drawn only on pages with allow-javascript');
    expect(outputs(cell!).querySelector('canvas'), 'no plot').to.equal(null);
  });

  it('notes HTML outputs whose scripts, event handlers or embedded pages this page does not allow', async () => {
    const [script, plotly, handler, frame, plain] = (await plotCells([
      'from IPython.display import HTML\n' +
        "HTML('<p>kept</p><script>window.notAllowedRan = true</script>')",
      'import plotly.express as px, plotly.io as pio\n' +
        'pio.renderers.default = "notebook"\npx.line(x=[1, 2, 3], y=[3, 1, 2])',
      'from IPython.display import HTML\n' +
        'HTML(\'<button onclick="window.notAllowedRan = true">press</button>\')',
      'from IPython.display import IFrame\nIFrame("about:blank", 300, 100)',
      'from IPython.display import HTML\n' +
        'HTML(\'<p>nothing taken out</p><script type="application/json">{}</script>\')',
    ])) as [BinderCell, BinderCell, BinderCell, BinderCell, BinderCell];
    for (const cell of [script, plotly, handler]) {
      await runAndWait(cell);
      await expectNote(cell, 'This output runs JavaScript, which this page does not allow');
      expect(outputs(cell).querySelector('script'), 'no script').to.equal(null);
    }
    expect(outputText(script)).to.contain('kept');
    const button = outputs(handler).querySelector('.html button') as HTMLButtonElement;
    expect(button.getAttributeNames(), 'no handler, under any name').to.deep.equal([]);
    button.click();
    expect((window as { notAllowedRan?: boolean }).notAllowedRan).to.equal(undefined);
    await runAndWait(frame);
    await expectNote(frame, 'This output embeds a page, which this page does not allow');
    expect(outputs(frame).querySelector('iframe'), 'no frame').to.equal(null);
    await runAndWait(plain);
    expect(outputText(plain)).to.contain('nothing taken out');
    expect(note(plain), 'no note for HTML that lost nothing it needs').to.equal(null);
    await expect(script).to.be.accessible();
  });

  it('shows a DataFrame as JupyterLab does, with no inline style left in the output', async () => {
    const [cell] = await plotCells([
      'import pandas as pd\npd.DataFrame({"a": [1, 2.5, 3, 4], "b": ["w", "x", "y", "z"]})',
    ]);
    await runAndWait(cell!);
    const table = outputs(cell!).querySelector('.html table.dataframe') as HTMLTableElement;
    const rows = [...table.tBodies[0]!.rows];
    const number = rows[0]!.cells[1]!;
    expect(number.textContent).to.equal('1.0');
    expect(getComputedStyle(number).textAlign).to.equal('right');
    expect(getComputedStyle(table.tHead!.rows[0]!.cells[1]!).fontWeight).to.equal('700');
    const [odd, even] = rows.map((row) => getComputedStyle(row).backgroundColor);
    expect(odd).not.to.equal(even);
    // pandas' <style> became a constructed sheet, its style attributes CSSOM declarations.
    expect(outputs(cell!).querySelectorAll('style'), 'no <style>').to.have.length(0);
    expect(table.tHead!.rows[0]!.style.textAlign).to.equal('right');
    // pandas' index corner is an empty <th>, as in JupyterLab: the kernel's HTML, not ours.
    await expect(cell).to.be.accessible({ ignoredRules: ['empty-table-header'] });
  });

  it('shows Markdown tables as DataFrames, keeping the alignment Markdown gives', async () => {
    const [cell, dataFrame] = await plotCells([
      'from IPython.display import Markdown\n' +
        'Markdown("| a | b | c |\\n|---|:--|:-:|\\n| 1 | x | y |\\n| 2 | z | w |")',
      'import pandas as pd\npd.DataFrame({"a": [1, 2]})',
    ]);
    await runAndWait(cell!);
    await runAndWait(dataFrame!);
    const markdown = await waitFor(
      () => outputs(cell!).querySelector<HTMLTableElement>('[part~="markdown"] table'),
      'the Markdown table',
    );
    const frame = outputs(dataFrame!).querySelector('.html table.dataframe') as HTMLTableElement;
    const looks = (table: HTMLTableElement) => {
      const { fontSize, borderCollapse } = getComputedStyle(table);
      const { borderBottomStyle, borderBottomWidth } = getComputedStyle(table.tHead!);
      const { padding, fontWeight } = getComputedStyle(table.tHead!.rows[0]!.cells[0]!);
      const [odd, even] = [...table.tBodies[0]!.rows].map(
        (row) => getComputedStyle(row).backgroundColor,
      );
      return {
        fontSize,
        borderCollapse,
        borderBottomStyle,
        borderBottomWidth,
        padding,
        fontWeight,
        zebra: odd !== even,
      };
    };
    expect(looks(markdown)).to.deep.equal(looks(frame));
    expect(looks(markdown)).to.include({ borderBottomStyle: 'solid', zebra: true });
    const aligned = [...markdown.tBodies[0]!.rows[0]!.cells].map(
      (td) => getComputedStyle(td).textAlign,
    );
    expect(aligned).to.deep.equal(['right', 'left', 'center']);
    await expect(cell).to.be.accessible();
  });

  it('runs the scripts of HTML outputs on pages that allow JavaScript, in the page DOM', async () => {
    const code =
      'from IPython.display import HTML\n' +
      'HTML(\'<p id="html-script-target">waiting</p><script>' +
      'window.htmlScriptRuns = (window.htmlScriptRuns ?? 0) + 1; ' +
      'document.getElementById("html-script-target").textContent = ' +
      '"ran, current script " + (document.currentScript !== null)</script>\')';
    const [allowed] = await plotCells([code], { allowJavascript: true });
    await runAndWait(allowed!);
    const target = await waitFor(
      () => document.getElementById('html-script-target'),
      'the output in the page',
    );
    await waitFor(() => target.textContent?.startsWith('ran'), 'the script to run');
    expect(target.textContent).to.equal('ran, current script true');
    expect(target.closest('binder-cell')).to.equal(allowed);
    expect(note(allowed!), 'no note where the scripts run').to.equal(null);
    allowed!.requestUpdate();
    await allowed!.updateComplete;
    expect(
      (window as { htmlScriptRuns?: number }).htmlScriptRuns,
      'once, however often the cell renders',
    ).to.equal(1);
    expect(document.getElementById('html-script-target'), 'still in the page').to.equal(target);
    expect(allowed!.code).to.contain('from IPython.display import HTML');
  });
});
