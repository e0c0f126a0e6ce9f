import type { KernelMessage } from '@jupyterlab/services';
import { expect } from '@open-wc/testing';
import { provideHtmlSupport } from './html-support.js';
import { OutputModel, selectData } from './output-model.js';
import { readHtml } from './recognise-html.js';
import { sanitisedHtmlOutput } from './sanitised-html.js';
import { loadTerminal } from './terminal-loader.js';

// As the runtime does when it loads.
provideHtmlSupport({ read: readHtml, render: sanitisedHtmlOutput });

const message = (msg_type: string, content: object) =>
  ({ header: { msg_type }, content }) as unknown as KernelMessage.IIOPubMessage;
const sanitize = (html: string) => `[clean]${html}`;
const options = { sanitize, allowJavascript: false };

describe('OutputModel', () => {
  before(() => loadTerminal());

  it('merges consecutive stream text of the same name', () => {
    const model = new OutputModel();
    model.apply(message('stream', { name: 'stdout', text: 'a' }), options);
    model.apply(message('stream', { name: 'stdout', text: 'b\n' }), options);
    model.apply(message('stream', { name: 'stderr', text: 'oops' }), options);
    expect(model.outputs).to.deep.equal([
      { kind: 'stream', name: 'stdout', text: 'ab\n' },
      { kind: 'stream', name: 'stderr', text: 'oops' },
    ]);
  });

  it('applies \\r, \\b and escape sequences across the messages of one stream', () => {
    const model = new OutputModel();
    for (const text of ['10%\r', '50%\r', '\u001b[3', '2m100%', '\u001b[0m!\n', 'ab\bc']) {
      model.apply(message('stream', { name: 'stdout', text }), options);
    }
    expect(model.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: '100%!\nac' }]);
    expect(JSON.parse(JSON.stringify(model.outputs))).to.deep.equal([
      { kind: 'stream', name: 'stdout', text: '100%!\nac' },
    ]);
  });

  it('clears at once, or on the next output with wait=True', () => {
    const model = new OutputModel();
    model.apply(message('stream', { name: 'stdout', text: 'old' }), options);
    expect(model.apply(message('clear_output', { wait: true }), options)).to.equal(false);
    expect(model.outputs).to.have.length(1);
    model.apply(message('stream', { name: 'stdout', text: 'new' }), options);
    expect(model.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'new' }]);
    model.apply(message('clear_output', { wait: false }), options);
    expect(model.outputs).to.deep.equal([]);
  });

  it('updates displays in place by display_id', () => {
    const model = new OutputModel();
    model.apply(
      message('display_data', {
        data: { 'text/plain': 'one' },
        metadata: {},
        transient: { display_id: 'd' },
      }),
      options,
    );
    model.apply(message('stream', { name: 'stdout', text: 'after' }), options);
    model.apply(
      message('update_display_data', {
        data: { 'text/plain': 'two' },
        metadata: {},
        transient: { display_id: 'd' },
      }),
      options,
    );
    expect(model.outputs[0]).to.deep.equal({
      kind: 'data',
      mime: 'text/plain',
      value: 'two',
      displayId: 'd',
    });
    expect(model.outputs).to.have.length(2);
  });

  it('clears on a waiting clear_output even when the next display shows nothing', () => {
    const model = new OutputModel();
    model.apply(message('stream', { name: 'stdout', text: 'old' }), options);
    model.apply(message('clear_output', { wait: true }), options);
    const unshown = message('display_data', { data: { 'application/vnd.custom': 'x' } });
    expect(model.apply(unshown, options), 'a change to render').to.equal(true);
    expect(model.outputs).to.deep.equal([]);
  });

  it('keeps errors with their traceback', () => {
    const model = new OutputModel();
    model.apply(
      message('error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }),
      options,
    );
    expect(model.outputs).to.deep.equal([
      { kind: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb'] },
    ]);
  });
});

describe('selectData', () => {
  it('prefers HTML, sanitised, over text', () => {
    expect(selectData({ 'text/html': '<b>x</b>', 'text/plain': 'x' }, options)).to.deep.equal({
      mime: 'text/html',
      value: '[clean]<b>x</b>',
    });
  });

  it('makes images data URLs with the text as alt', () => {
    expect(
      selectData({ 'image/png': 'iVBO\nRw0=', 'text/plain': '<Figure>' }, options),
    ).to.deep.equal({
      mime: 'image/png',
      value: 'data:image/png;base64,iVBORw0=',
      alt: '<Figure>',
    });
    expect(selectData({ 'image/svg+xml': '<svg/>' }, options)?.value).to.equal(
      'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E',
    );
  });

  it('follows the documented priority, with JavaScript only when the page allows it', () => {
    const bundle = {
      'text/plain': 'p',
      'application/json': { a: 1 },
      'text/latex': '$x$',
      'text/markdown': '*m*',
      'image/gif': 'R0lG',
      'application/javascript': 'x()',
    };
    expect(selectData(bundle, options)?.mime).to.equal('image/gif');
    expect(selectData(bundle, { ...options, allowJavascript: true })?.mime).to.equal(
      'application/javascript',
    );
    expect(selectData({ 'text/markdown': '*m*', 'text/latex': 'x' }, options)?.mime).to.equal(
      'text/markdown',
    );
    expect(selectData({ 'application/json': { a: 1 }, 'text/plain': 'p' }, options)).to.deep.equal({
      mime: 'application/json',
      value: '{"a":1}',
    });
  });

  it('ranks plots above JavaScript and HTML, as JupyterLab does', () => {
    const plotly = { data: [{ y: [1] }] };
    const bundle = {
      'application/vnd.plotly.v1+json': plotly,
      'text/html': '<div></div>',
      'application/javascript': 'x()',
    };
    expect(selectData(bundle, { ...options, allowJavascript: true })).to.deep.equal({
      mime: 'application/vnd.plotly.v1+json',
      value: JSON.stringify(plotly),
    });
    expect(
      selectData({ 'application/vnd.vegalite.v6.json': {}, 'text/plain': 'chart' }, options),
    ).to.deep.equal({ mime: 'application/vnd.vegalite.v6.json', value: '{}', alt: 'chart' });
  });

  it("draws Altair's CDN HTML with the bundled Vega, keeping its embed options", () => {
    const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.20.1.json', mark: 'line' };
    const altairHtml =
      '<div id="altair-viz-1"></div>\n<script type="text/javascript">\n' +
      '  (function(spec, embedOpt){ vegaEmbed(outputDiv, spec, embedOpt); })' +
      `(${JSON.stringify(spec)}, {"mode": "vega-lite", "theme": "dark"});\n</script>`;
    expect(
      selectData({ 'text/html': altairHtml, 'text/plain': 'alt.Chart(...)' }, options),
    ).to.deep.equal({
      mime: 'application/vnd.vegalite.v5+json',
      value: JSON.stringify({ ...spec, usermeta: { embedOptions: { theme: 'dark' } } }),
      alt: 'alt.Chart(...)',
    });
  });

  it("drops Bokeh's placeholders and reads its outputs' JavaScript", () => {
    const banner =
      '<div><a href="https://bokeh.org" class="bk-notebook-logo"></a>' +
      '<span id="c5">Loading BokehJS ...</span></div>';
    expect(selectData({ 'text/html': banner }, options)).to.equal(undefined);
    const root = '\n  <div id="fd0c" data-root-id="p1008" style="display: contents;"></div>\n';
    expect(selectData({ 'text/html': root }, options)).to.equal(undefined);
    const exec = {
      'application/javascript': 'const docs_json = {};',
      'application/vnd.bokehjs_exec.v0+json': '',
    };
    expect(selectData(exec, { ...options, allowJavascript: true })).to.deep.equal({
      mime: 'application/vnd.bokehjs_exec.v0+json',
      value: 'const docs_json = {};',
    });
  });

  it('takes inline CSS out of HTML before it is sanitised (a strict CSP refuses it)', () => {
    const markup =
      '<div><style scoped>\n.x { color: red; }\n</style>' +
      '<table border="1"><tr style="text-align: right;"><td data-style="k" title="style=">1</td></tr></table></div>';
    expect(selectData({ 'text/html': markup }, options)).to.deep.equal({
      mime: 'text/html',
      value:
        '[clean]<div><table border="1"><tr data-binder-style="text-align: right;">' +
        '<td data-style="k" title="style=">1</td></tr></table></div>',
      css: '\n.x { color: red; }\n',
    });
  });

  it('leaves HTML as sent, to run its scripts, only on pages that allow JavaScript', () => {
    const markup = '<p id="x"></p><script>x()</script>';
    expect(
      selectData({ 'text/html': markup }, { ...options, allowJavascript: true }),
    ).to.deep.equal({
      mime: 'text/html',
      value: markup,
      trusted: true,
    });
    expect(selectData({ 'text/html': markup }, options)?.value).to.equal(`[clean]${markup}`);
  });

  it('ignores bundles with nothing it can show', () => {
    expect(selectData({ 'application/vnd.custom': 'x' }, options)).to.equal(undefined);
  });
});
