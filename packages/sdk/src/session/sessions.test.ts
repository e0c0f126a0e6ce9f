import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, runAndWait, statusText } from '../../test-support/cells.js';
import { testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import type { BinderControls } from '../components/binder-controls/binder-controls.component.js';
import '../components/binder-controls/binder-controls.js';

const pid = (cell: BinderCell) => /pid (\d+)/.exec(outputText(cell))?.[1];

describe('sessions', () => {
  it('keeps two session groups on one page apart', async () => {
    const [a, b] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart" session="a"></binder-config>
        <binder-config server=${testServer()} repo="local/quickstart" session="b"></binder-config>
        <binder-cell session="a">
          <pre>
import os
leak = "from a"
print("pid", os.getpid())</pre>
        </binder-cell>
        <binder-cell session="b">
          <pre>
import os
print(globals().get("leak", "no leak"), "pid", os.getpid())</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    await Promise.all([runAndWait(a), runAndWait(b)]);
    expect(outputText(b)).to.contain('no leak');
    expect(pid(a)).to.match(/^\d+$/);
    expect(pid(b)).to.match(/^\d+$/);
    expect(pid(a)).not.to.equal(pid(b));
    expect(a.session).not.to.equal(b.session);
  });

  it('launches as the page loads with launch="eager"', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="eager"
          launch="eager"
          reuse="0"
        ></binder-config>
        <binder-cell session="eager"><pre>print("eagerly")</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    await waitFor(() => cell.session?.status.state === 'ready', 'the session to start by itself');
    expect(outputText(cell).trim()).to.equal('');
    expect(statusText(cell)).to.equal('');
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('eagerly');
  });

  it("launches when the page's Start session button is pressed", async () => {
    // The controls come first; the cells of their group arrive later.
    const [controls] = await cellsIn(
      html`<div>
        <binder-controls session="activated"></binder-controls>
      </div>`,
    ).then(() => [...document.querySelectorAll('binder-controls')] as BinderControls[]);
    const container = controls?.parentElement as HTMLElement;
    container.insertAdjacentHTML(
      'beforeend',
      `<binder-config server="${testServer()}" repo="local/quickstart" session="activated" reuse="0"></binder-config>
       <binder-cell session="activated"><pre>print("activated")</pre></binder-cell>`,
    );
    const cell = container.querySelector('binder-cell') as BinderCell;
    await cell.updateComplete;
    expect(cell.session?.status.state).to.equal('new');
    const shadow = controls?.shadowRoot as ShadowRoot;
    expect(
      shadow.querySelector('[part="activate-button"]')?.classList.contains('primary'),
    ).to.equal(true);
    (shadow.querySelector('[part="activate-button"]') as HTMLButtonElement).click();
    await waitFor(() => cell.session?.status.state === 'ready', 'the session to start');
    await waitFor(
      () => shadow.querySelector('[part="status"]')?.textContent?.includes('Kernel ready'),
      'the controls to tell',
    );
    expect(
      shadow.querySelector('[part="activate-button"]'),
      'no longer the call to action',
    ).to.equal(null);
    expect(shadow.querySelector('[part="run-all-button"]')?.classList.contains('primary')).to.equal(
      true,
    );
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('activated');
  });
});
