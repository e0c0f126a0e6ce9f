import { expect, html } from '@open-wc/testing';
import { cellsIn, runAndWait } from '../../test-support/cells.js';
import { testServer } from '../../test-support/server.js';
import { notebook } from '../api.js';
import { notebookFilename } from './page-notebook.js';

describe('the page as a notebook', () => {
  it("holds each cell's code, execution count and outputs in nbformat's shapes, and the kernel's metadata", async () => {
    const [setup, printed, shown, failed, unrun] = await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="export"
          reuse="0"
        ></binder-config>
        <binder-cell session="export" setup hidden>
          <pre>from IPython.display import display, HTML</pre>
        </binder-cell>
        <binder-cell session="export"><pre>print("one\\rtwo")</pre></binder-cell>
        <binder-cell session="export" id="shown">
          <pre>
handle = display(HTML("&lt;b>first&lt;/b>"), display_id=True)
handle.update(HTML("&lt;b>second&lt;/b>"))
6 * 7</pre>
        </binder-cell>
        <binder-cell session="export"><pre>1 / 0</pre></binder-cell>
        <binder-cell session="export">
          <pre>print("later")</pre>
          <div slot="output">
            <pre>later</pre>
            <img src="figures/later.png" alt="" />
          </div>
        </binder-cell>
      </div>`,
    );
    await runAndWait(printed!);
    await runAndWait(shown!);
    await runAndWait(failed!);

    const content = await notebook({ session: 'export' });
    expect(content.nbformat).to.equal(4);
    expect(content.nbformat_minor).to.equal(5);
    expect(content.metadata.kernelspec).to.include({ name: 'python3', language: 'python' });
    expect(content.metadata.language_info?.name).to.equal('python');
    const [setupCell, printCell, displayCell, errorCell, unrunCell] = content.cells;
    expect(setup?.hidden).to.equal(true);
    expect(setupCell?.metadata).to.deep.equal({
      jupyter: { source_hidden: true },
      tags: ['setup'],
    });
    expect(setupCell?.execution_count).to.be.a('number');
    expect(printCell?.outputs).to.deep.equal([
      { output_type: 'stream', name: 'stdout', text: ['two\n'] },
    ]);
    expect(displayCell?.id).to.equal('shown');
    expect(displayCell?.source).to.deep.equal([
      'handle = display(HTML("<b>first</b>"), display_id=True)\n',
      'handle.update(HTML("<b>second</b>"))\n',
      '6 * 7',
    ]);
    const [display, result] = displayCell?.outputs as Record<string, unknown>[];
    expect(display).to.deep.include({ output_type: 'display_data', metadata: {} });
    expect((display?.data as Record<string, unknown>)['text/html']).to.equal('<b>second</b>');
    expect(result).to.deep.equal({
      output_type: 'execute_result',
      data: { 'text/plain': '42' },
      metadata: {},
      execution_count: displayCell?.execution_count,
    });
    const [error] = errorCell?.outputs as Record<string, unknown>[];
    expect(error).to.include({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(unrun?.ran).to.equal(false);
    expect(unrunCell?.execution_count).to.equal(null);
    const [prerendered] = unrunCell?.outputs as { data: Record<string, string[]> }[];
    expect(prerendered?.data['text/plain']).to.deep.equal(['later']);
    // A relative image would break once the notebook leaves the page.
    const absolute = new URL('figures/later.png', document.baseURI).href;
    expect(prerendered?.data['text/html']?.join('')).to.contain(`<img src="${absolute}"`);
  });

  it('is refused for cells on two kernels, which one notebook cannot hold', async () => {
    await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart" session="py"></binder-config>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="r"
          kernel="ir"
        ></binder-config>
        <binder-cell session="py"><pre>1</pre></binder-cell>
        <binder-cell session="r"><pre>1</pre></binder-cell>
      </div>`,
    );
    await notebook().then(
      () => expect.fail('a notebook of two kernels'),
      (error: Error) => expect(error.message).to.contain('more than one kernel (python3, ir)'),
    );
    const r = await notebook({ session: 'r' });
    expect(r.metadata.kernelspec).to.deep.equal({ name: 'ir', display_name: 'ir', language: 'r' });
    expect(r.cells).to.have.length(1);
  });

  it('is named after the page, and the group', () => {
    expect(notebookFilename('/book/chapter-2.html')).to.equal('chapter-2.ipynb');
    expect(notebookFilename('/book/chapter-2.html', 'r')).to.equal('chapter-2-r.ipynb');
    expect(notebookFilename('/')).to.equal('page.ipynb');
  });
});
