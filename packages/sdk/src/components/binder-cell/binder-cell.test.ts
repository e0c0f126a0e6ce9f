import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { endAllSessions, sessionCount, testServer, waitFor } from '../../../test-support/server.js';
import './binder-cell.js';
import '../binder-config/binder-config.js';
import type { BinderCell } from './binder-cell.component.js';

const shadow = (cell: BinderCell) => cell.shadowRoot as ShadowRoot;
const runButton = (cell: BinderCell) =>
  shadow(cell).querySelector('[part="run-button"]') as HTMLButtonElement;
const statusText = (cell: BinderCell) =>
  shadow(cell).querySelector('[part="status"]')?.textContent?.trim() ?? '';
const outputs = (cell: BinderCell) => shadow(cell).querySelector('[part="outputs"]') as HTMLElement;

/** A cell in a page whose <binder-config> points at the test server and `repo`. */
async function cellFor(
  code: string,
  repo = 'local/quickstart',
  server = testServer(),
): Promise<BinderCell> {
  const container = await fixture<HTMLElement>(html`
    <div>
      <binder-config server=${server} repo=${repo}></binder-config>
      <binder-cell><pre>${code}</pre></binder-cell>
    </div>
  `);
  const cell = container.querySelector('binder-cell') as BinderCell;
  await cell.updateComplete;
  return cell;
}

async function runAndWait(cell: BinderCell): Promise<void> {
  await cell.run();
  await cell.updateComplete;
}

describe('<binder-cell>', () => {
  it('shows its code, dedented, with an accessible Run button', async () => {
    const cell = await cellFor('\n    x = 1\n    print(x)\n  ');
    expect(shadow(cell).querySelector('code')?.textContent).to.equal('x = 1\nprint(x)');
    expect(runButton(cell).getAttribute('aria-label')).to.equal('Run cell');
    expect(shadow(cell).querySelector('[role="status"]')?.getAttribute('aria-live')).to.equal(
      'polite',
    );
    await expect(cell).to.be.accessible();
  });

  it('keeps the code readable before the SDK loads', async () => {
    const container = await fixture<HTMLElement>(
      html`<div>
        <binder-later><pre>print(1)</pre></binder-later>
      </div>`,
    );
    expect(container.textContent?.trim()).to.equal('print(1)');
  });

  it('says plainly why it cannot run without a repository', async () => {
    const container = await fixture<HTMLElement>(html`<div><binder-cell>1 + 1</binder-cell></div>`);
    const cell = container.querySelector('binder-cell') as BinderCell;
    await cell.updateComplete;
    expect(statusText(cell)).to.contain('no repository');
    expect(runButton(cell).disabled).to.equal(true);
  });

  it('runs on a real kernel and renders text, errors and images', async () => {
    const cell = await cellFor('print("hello from the kernel")\n6 * 7');
    await runAndWait(cell);
    const text = outputs(cell).textContent ?? '';
    expect(text).to.contain('hello from the kernel');
    expect(text).to.contain('42');
    expect(shadow(cell).querySelector('.count')?.textContent).to.match(/\[\d+\]/);

    const failing = await cellFor('def f():\n    raise ValueError("bad value")\nf()');
    await runAndWait(failing);
    const error = outputs(failing).querySelector('.error') as HTMLElement;
    expect(error.textContent).to.contain('ValueError: bad value');
    expect(error.textContent).not.to.contain('\u001b');
    expect(error.querySelector('[class^="ansi-"]')).to.not.equal(null);

    const plotting = await cellFor(
      'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.show()',
    );
    await runAndWait(plotting);
    const image = outputs(plotting).querySelector('img') as HTMLImageElement;
    expect(image.src).to.match(/^data:image\/png;base64,/);
    expect(image.alt).to.contain('Figure');
    await waitFor(() => image.complete && image.naturalWidth > 0, 'the figure to load');
    await expect(plotting).to.be.accessible();
  });

  it('shows the launch phases in its status line while the session starts', async () => {
    // Another spelling of the same server makes a session of its own.
    const server = new URL(testServer());
    server.hostname = 'localhost';
    const cell = await cellFor('print("launched")', 'local/quickstart', server.href);
    const seen = new Set<string>();
    const status = shadow(cell).querySelector('[part="status"]') as HTMLElement;
    const observer = new MutationObserver(() => seen.add(status.textContent?.trim() ?? ''));
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    await runAndWait(cell);
    observer.disconnect();
    for (const phase of [
      'Finding the repository…',
      'Preparing the environment…',
      'Starting a kernel server…',
    ]) {
      expect(
        [...seen].some((text) => text.startsWith(phase)),
        `${phase} in ${[...seen].join(' | ')}`,
      ).to.equal(true);
    }
    expect(outputs(cell).textContent).to.contain('launched');
  });

  it('shows no empty output strip, before a run or after a run with nothing to show', async () => {
    const cell = await cellFor('quiet = 1');
    expect(getComputedStyle(outputs(cell)).display).to.equal('none');
    await runAndWait(cell);
    expect(statusText(cell)).to.equal('');
    expect(getComputedStyle(outputs(cell)).display).to.equal('none');
    expect(outputs(cell).getBoundingClientRect().height).to.equal(0);
  });

  it('shows pre-rendered outputs as the live ones that replace them, without a shift', async () => {
    const container = await fixture<HTMLElement>(html`
      <div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>print("same\\nlines")</pre>
          <pre slot="output">
same
lines</pre>
        </binder-cell>
        <binder-cell>
          <pre>print("same\\nlines")</pre>
          <div slot="output">
            <pre>
same
lines</pre>
          </div></binder-cell
        >
      </div>
    `);
    const cells = [...container.querySelectorAll('binder-cell')];
    const looks = (cell: BinderCell, text: Element) => {
      const { fontFamily, fontSize, marginTop, marginBottom } = getComputedStyle(text);
      const height = outputs(cell).getBoundingClientRect().height;
      return { fontFamily, fontSize, marginTop, marginBottom, height };
    };
    for (const cell of cells) {
      await cell.updateComplete;
      const shown = cell.querySelector('pre[slot="output"], [slot="output"] pre') as Element;
      const before = looks(cell, shown);
      await runAndWait(cell);
      const live = outputs(cell).querySelector('[part~="stream"] pre') as Element;
      expect(live.textContent).to.equal('same\nlines\n');
      expect(looks(cell, live), 'the live output').to.deep.equal(before);
    }
  });

  it('renders JPEG displays as images', async () => {
    const cell = await cellFor(
      'import io\nimport matplotlib.pyplot as plt\nfrom IPython.display import Image, display\n' +
        'buffer = io.BytesIO()\nplt.figure(figsize=(1, 1)).savefig(buffer, format="jpeg")\nplt.close("all")\n' +
        'display(Image(data=buffer.getvalue(), format="jpeg"))',
    );
    await runAndWait(cell);
    const image = outputs(cell).querySelector('img') as HTMLImageElement;
    expect(image.src).to.match(/^data:image\/jpeg;base64,/);
    await waitFor(() => image.complete && image.naturalWidth > 0, 'the JPEG to load');
  });

  it('shows kernel HTML without running its scripts or handlers', async () => {
    const cell = await cellFor(
      'from IPython.display import HTML, SVG, display\n' +
        'display(HTML(\'<b class="bold">bold</b><script>window.pwned = 1</script>' +
        '<img src="data:image/gif;base64,broken" onerror="window.pwned = 2">\'))\n' +
        'display(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\'))',
    );
    await runAndWait(cell);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const root = outputs(cell);
    expect(root.querySelector('b.bold')?.textContent).to.equal('bold');
    expect(root.querySelector('script')).to.equal(null);
    expect(root.querySelector('img[onerror]')).to.equal(null);
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    expect(root.querySelector('img[src^="data:image/svg+xml"]')).to.not.equal(null);
  });

  it('replaces output on clear_output(wait=True) and updates displays', async () => {
    const cell = await cellFor(
      'from IPython.display import clear_output, display\n' +
        'print("first")\nclear_output(wait=True)\nprint("second")\n' +
        'handle = display("draft", display_id=True)\nhandle.update("final")',
    );
    await runAndWait(cell);
    const text = outputs(cell).textContent ?? '';
    expect(text).not.to.contain('first');
    expect(text).to.contain('second');
    expect(text).to.contain('final');
    expect(text).not.to.contain('draft');
  });

  it('runs with Shift-Enter when focused, and cells on a page share one session', async () => {
    const before = await sessionCount();
    const container = await fixture<HTMLElement>(html`
      <div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell><pre>shared_value = 41</pre></binder-cell>
        <binder-cell><pre>print(shared_value + 1)</pre></binder-cell>
      </div>
    `);
    const [first, second] = [...container.querySelectorAll('binder-cell')] as BinderCell[];
    await runAndWait(first as BinderCell);
    (second as BinderCell).focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await waitFor(
      () => outputs(second as BinderCell).textContent?.includes('42'),
      'the second cell to print',
    );
    expect(await sessionCount()).to.equal(before);
  });

  it('tells when the kernel dies and carries on after it restarts', async () => {
    const cell = await cellFor('import os\nos._exit(1)');
    await runAndWait(cell);
    await waitFor(() => /died|restart/i.test(statusText(cell)), 'the death to show');
    expect(statusText(cell)).to.equal(
      'The kernel died while this cell ran (it has restarted: earlier results are gone).',
    );
    const next = await cellFor('print("alive again")');
    await waitFor(() => !/restarting/i.test(statusText(cell)), 'the kernel to come back');
    await runAndWait(next);
    expect(outputs(next).textContent).to.contain('alive again');
  });

  it('shows a lost session with a Restart button that launches a new one', async () => {
    const cell = await cellFor('print("before")');
    await runAndWait(cell);
    await endAllSessions();
    await waitFor(
      () => statusText(cell).includes('session has ended'),
      'the lost session to show',
      60_000,
    );
    const restart = shadow(cell).querySelector('[part="restart-button"]') as HTMLButtonElement;
    expect(restart.getAttribute('aria-label')).to.equal('Restart kernel');
    restart.click();
    await waitFor(
      () => statusText(cell) === '' || statusText(cell).includes('ready'),
      'a new session',
    );
    const again = await cellFor('print("after")');
    await runAndWait(again);
    expect(outputs(again).textContent).to.contain('after');
  });

  it('shows why a launch failed, with the end of the build log', async () => {
    const cell = await cellFor('print(1)', 'local/broken');
    await runAndWait(cell);
    await waitFor(() => statusText(cell).includes('could not be built'), 'the failure');
    expect(statusText(cell)).to.contain('binder-cell-no-such-package');
    expect(runButton(cell).disabled).to.equal(false);
  });
});
