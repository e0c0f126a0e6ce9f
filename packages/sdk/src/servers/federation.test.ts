import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, part, runAndWait, statusText } from '../../test-support/cells.js';
import { closedPort, statusServer, testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

/** A cell of its own session group (so its own session) on `servers`. */
async function cellOn(servers: string[], group: string): Promise<BinderCell> {
  const [cell] = await cellsIn(
    html`<div>
      <binder-config
        server=${servers.join(' ')}
        repo="local/quickstart"
        session=${group}
        reuse="0"
      ></binder-config>
      <binder-cell session=${group}><pre>print("launched on", "${group}")</pre></binder-cell>
    </div>`,
  );
  return cell as BinderCell;
}

function statusesOf(cell: BinderCell): Set<string> {
  const seen = new Set<string>();
  const status = part(cell, 'status') as HTMLElement;
  new MutationObserver(() => seen.add(status.textContent?.trim() ?? '')).observe(status, {
    childList: true,
    characterData: true,
    subtree: true,
  });
  return seen;
}

describe('federation: several servers for one session', () => {
  it('launches on the next server when the first cannot be reached', async () => {
    const cell = await cellOn([await closedPort(), testServer()], 'unreachable-first');
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('launched on unreachable-first');
  });

  it('skips a server whose health check fails', async () => {
    const unhealthy = await statusServer({ health: 503, launch: 503 });
    const cell = await cellOn([unhealthy, testServer()], 'unhealthy-first');
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('launched on unhealthy-first');
  });

  it('moves on when a healthy server refuses the launch as full (503)', async () => {
    const full = await statusServer({ health: 200, launch: 503 });
    const cell = await cellOn([full, testServer()], 'full-first');
    const seen = statusesOf(cell);
    await runAndWait(cell);
    expect(outputText(cell)).to.contain('launched on full-first');
    expect([...seen].some((text) => text.includes(`${full} cannot take the session`))).to.equal(
      true,
    );
  });
});

describe('a server that cannot be reached', () => {
  it('says so plainly, and the code still reads as code', async () => {
    const server = await closedPort();
    const cell = await cellOn([server], 'nowhere');
    await cell.run();
    await waitFor(() => statusText(cell).includes('Cannot reach'), 'the failure to show');
    expect(statusText(cell)).to.equal(`Cannot reach the launch server at ${server}.`);
    expect(part(cell, 'status')?.classList.contains('problem')).to.equal(true);
    expect(part(cell, 'code')?.textContent?.trim()).to.equal('print("launched on", "nowhere")');
    expect(part<HTMLButtonElement>(cell, 'run-button')?.disabled).to.equal(false);
    await expect(cell).to.be.accessible();
  });
});
