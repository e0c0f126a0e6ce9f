import { expect } from '@open-wc/testing';
import { hasCustomJs, readBokehEmbed, readBokehLoad } from './recognise-bokeh.js';

/** The shape of bokeh 3.9's notebook JavaScript (bokeh/core/_templates), cut down. */
const EXEC = `(function(root) {
  function embed_document(root) {
  const docs_json = {"d1":{"version":"3.9.2","roots":[{"type":"object","name":"Figure","id":"p1008"}]}};
  const render_items = [{"docid":"d1","roots":{"p1008":"fd0c"},"root_ids":["p1008"]}];
  void root.Bokeh.embed.embed_items_notebook(docs_json, render_items);
  }
})(window);`;

describe('reading Bokeh outputs', () => {
  it("reads a show() output's document, render items and version", () => {
    const embed = readBokehEmbed(EXEC);
    expect(embed?.version).to.equal('3.9.2');
    expect(embed?.renderItems).to.deep.equal([
      { docid: 'd1', roots: { p1008: 'fd0c' }, root_ids: ['p1008'] },
    ]);
    expect(embed && hasCustomJs(embed)).to.equal(false);
    const withCallback = EXEC.replace('"name":"Figure"', '"name":"CustomJS"');
    expect(hasCustomJs(readBokehEmbed(withCallback)!)).to.equal(true);
    expect(readBokehEmbed('console.log(1)')).to.equal(undefined);
  });

  it('reads which BokehJS output_notebook() loads, or that it comes inline', () => {
    const cdn =
      '  const js_urls = ["https://cdn.bokeh.org/bokeh/release/bokeh-3.9.2.min.js", ' +
      '"https://cdn.bokeh.org/bokeh/release/bokeh-gl-3.9.2.min.js"];\n  const css_urls = [];';
    expect(readBokehLoad(cdn)).to.deep.equal({ version: '3.9.2', inline: false });
    expect(readBokehLoad('  const js_urls = [];\n')).to.deep.equal({
      version: undefined,
      inline: true,
    });
  });
});
