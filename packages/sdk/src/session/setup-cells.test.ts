import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, runAndWait } from '../../test-support/cells.js';
import { testServer } from '../../test-support/server.js';
import { restart, runAll } from '../api.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

const SETUP = 'setup_runs = globals().get("setup_runs", 0) + 1\norder = ["setup"]';

describe('setup cells', () => {
  it('run once, first, when the session starts, and again after a restart', async () => {
    const [setup, first, second] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="setup"
          reuse="0"
        ></binder-config>
        <binder-cell session="setup">
          <pre>
order.append("first")
print(order)</pre>
        </binder-cell>
        <binder-cell session="setup" setup hidden><pre>${SETUP}</pre></binder-cell>
        <binder-cell session="setup">
          <pre>print("setup ran", setup_runs, "time(s)")</pre>
        </binder-cell>
      </div>`,
    ).then(([a, b, c]) => [b, a, c])) as [BinderCell, BinderCell, BinderCell];
    expect(getComputedStyle(setup).display).to.equal('none');

    await runAndWait(first);
    expect(outputText(first)).to.contain("['setup', 'first']");
    await runAndWait(second);
    expect(outputText(second)).to.contain('setup ran 1 time(s)');

    await restart({ session: 'setup' });
    await runAndWait(second);
    expect(outputText(second)).to.contain('setup ran 1 time(s)');
    await runAll({ session: 'setup' });
    expect(outputText(first)).to.contain("['setup', 'first']");
  });

  it('run before a cell that was started during a restart', async () => {
    const [first] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="setup"
        ></binder-config>
        <binder-cell session="setup" setup hidden><pre>${SETUP}</pre></binder-cell>
        <binder-cell session="setup">
          <pre>
order.append("first")
print(order)</pre>
        </binder-cell>
      </div>`,
    ).then((cells) => cells.slice(1))) as [BinderCell];
    await runAndWait(first);
    const restarting = restart({ session: 'setup' });
    await runAndWait(first);
    await restarting;
    expect(outputText(first)).to.contain("['setup', 'first']");
  });

  it('run again when the kernel died and the server restarted it', async () => {
    const [first, dying] = (await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          session="setup"
        ></binder-config>
        <binder-cell session="setup" setup hidden><pre>${SETUP}</pre></binder-cell>
        <binder-cell session="setup">
          <pre>
order.append("first")
print(order)</pre>
        </binder-cell>
        <binder-cell session="setup">
          <pre>
import os
os._exit(1)</pre>
        </binder-cell>
      </div>`,
    ).then((cells) => cells.slice(1))) as [BinderCell, BinderCell];
    // The dying run ends as the server restarts the kernel; the next one waits for setup.
    await runAndWait(dying);
    await runAndWait(first);
    expect(outputText(first)).to.contain("['setup', 'first']");
  });
});
