import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, runAndWait, statusText } from '../../test-support/cells.js';
import { jupyterServer, testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

describe('kinds of servers', () => {
  it('launches through the BinderHub protocol (binder-cell speaks it at /build/)', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-cell kind="binderhub" server=${testServer()} repo="local/quickstart" session="hub">
          <pre>print("via binderhub", 6 * 7)</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell];
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('via binderhub 42');
  });

  it('runs on a plain Jupyter server given its URL and token', async () => {
    // The Jupyter server uses the environment of a local/quickstart session.
    const [launcher] = (await cellsIn(
      html`<div>
        <binder-cell server=${testServer()} repo="local/quickstart"><pre>1</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    await runAndWait(launcher);
    const jupyter = await jupyterServer();
    const [cell, wrongToken] = (await cellsIn(
      html`<div>
        <binder-cell kind="jupyter" server=${jupyter.url} token=${jupyter.token} session="jupyter">
          <pre>
import os
print("plain jupyter in", os.path.basename(os.getcwd()))</pre>
        </binder-cell>
        <binder-cell kind="jupyter" server=${jupyter.url} token="wrong" session="jupyter">
          <pre>print(1)</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    await runAndWait(cell);
    expect(statusText(cell), 'no problem').to.equal('');
    expect(outputText(cell)).to.contain('plain jupyter in quickstart');

    await wrongToken.run();
    await waitFor(() => statusText(wrongToken).includes('does not answer'), 'the refusal');
    expect(statusText(wrongToken)).to.contain('check its URL and token');
  });
});
