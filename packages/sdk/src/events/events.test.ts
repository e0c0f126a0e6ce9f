import { expect, html } from '@open-wc/testing';
import { cellsIn, runAndWait } from '../../test-support/cells.js';
import { closedPort, testServer } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import type { BinderErrorEvent, BinderOutputEvent, BinderStatusEvent } from './index.js';

/** Every event of `type` that reaches the document while the test runs. */
function collect<E extends Event>(type: string): E[] {
  const seen: E[] = [];
  const listener = (event: Event) => seen.push(event as E);
  document.addEventListener(type, listener);
  afterEach(() => document.removeEventListener(type, listener));
  return seen;
}

describe('events', () => {
  let statuses: BinderStatusEvent[];
  let outputs: BinderOutputEvent[];
  let errors: BinderErrorEvent[];
  beforeEach(() => {
    statuses = collect('binder-cell-status');
    outputs = collect('binder-cell-output');
    errors = collect('binder-cell-error');
  });

  it('tell the document about states, outputs and raised errors', async () => {
    const [cell] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>
print("told")
raise ValueError("bad value")</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell];
    await runAndWait(cell);

    expect(statuses.every((event) => event.target === cell && event.bubbles)).to.equal(true);
    const runs = statuses.map((event) => event.detail.run);
    expect(runs).to.include.members(['waiting', 'running', 'idle']);
    expect(runs, 'nothing else held the kernel').not.to.include('queued');
    expect(runs.at(-1)).to.equal('idle');
    expect(statuses.at(-1)?.detail.session.state).to.equal('ready');

    expect(outputs.every((event) => event.target === cell)).to.equal(true);
    // The run first clears the outputs; that may reach the page in a frame of its own.
    const first = outputs.find((event) => event.detail.outputs.length > 0);
    expect(first?.detail.outputs[0]).to.deep.equal({
      kind: 'stream',
      name: 'stdout',
      text: 'told\n',
    });
    expect(outputs.at(-1)?.detail.outputs.map((output) => output.kind)).to.deep.equal([
      'stream',
      'error',
    ]);

    expect(errors).to.have.length(1);
    expect(errors[0]?.target).to.equal(cell);
    expect(errors[0]?.detail).to.deep.equal({
      kind: 'execution',
      message: 'ValueError: bad value',
    });
  });

  it('tell the document when a launch fails', async () => {
    const server = await closedPort();
    const [cell] = (await cellsIn(
      html`<div>
        <binder-cell server=${server} repo="local/quickstart"><pre>print(1)</pre></binder-cell>
      </div>`,
    )) as [BinderCell];
    await runAndWait(cell);
    expect(errors.map((event) => event.detail)).to.deep.equal([
      { kind: 'launch', message: `Cannot reach the launch server at ${server}.` },
    ]);
    expect(statuses.at(-1)?.detail.session.state).to.equal('failed');
    expect(outputs).to.deep.equal([]);
  });
});
