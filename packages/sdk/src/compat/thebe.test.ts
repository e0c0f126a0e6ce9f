import { expect } from '@open-wc/testing';
import { sessionCount, testServer, waitFor } from '../../test-support/server.js';
import '../components/binder-cell/binder-cell.js';
import '../components/binder-config/binder-config.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import { startThebeCompat } from './thebe-global.js';
import type { ThebeGlobal, ThebeStatus } from './thebe-global.js';

/** Thebe options for the test server's `local/quickstart`, through its BinderHub `/build`. */
const quickstart = (extra: Record<string, unknown> = {}, binderUrl = testServer()) =>
  JSON.stringify({
    binderOptions: { repo: 'quickstart', repoProvider: 'local', binderUrl },
    ...extra,
  });

/** The same server under another name, so a test gets a session of its own. */
function otherSpelling(): string {
  const server = new URL(testServer());
  server.hostname = 'localhost';
  return server.href;
}

/** What a promise rejected with (an error when it did not reject). */
function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

/** Puts a page written for Thebe into the document, then loads the SDK's Thebe support. */
function thebePage(body: string): HTMLElement {
  const page = document.createElement('div');
  page.innerHTML = body;
  document.body.append(page);
  startThebeCompat();
  return page;
}

function thebe(): ThebeGlobal {
  if (!window.thebe) throw new Error('window.thebe is not installed');
  return window.thebe;
}

const shadow = (cell: BinderCell) => cell.shadowRoot as ShadowRoot;
const outputs = (cell: BinderCell) => shadow(cell).querySelector('[part="outputs"]') as HTMLElement;

describe('pages written for Thebe', () => {
  afterEach(() => {
    document.body.replaceChildren();
    delete window.thebe;
    delete window.thebelab;
  });

  it('upgrade on load, show pre-rendered output until run, then run on a real kernel', async () => {
    const page = thebePage(`
      <script type="text/x-thebe-config">${quickstart({ bootstrap: true, requestKernel: false })}</script>
      <pre data-executable="true" data-language="python">import numpy as np
print("sum:", np.arange(10).sum())</pre>
      <div data-output><p class="rendered">sum: 45 (pre-rendered)</p></div>
    `);
    expect(window.thebelab).to.equal(window.thebe);
    const cell = await waitFor(
      () => page.querySelector<BinderCell>('binder-cell.thebe-cell') ?? undefined,
      'the Thebe cell to become a <binder-cell>',
    );
    await cell.updateComplete;
    expect(page.querySelector('[data-executable]')).to.equal(null);
    const slot = outputs(cell).querySelector<HTMLSlotElement>('slot[name="output"]');
    expect(slot?.assignedElements()[0]?.textContent).to.contain('(pre-rendered)');
    expect(document.querySelector('binder-config')?.getAttribute('repo')).to.equal(
      'local/quickstart',
    );
    await expect(cell).to.be.accessible();

    await cell.run();
    await cell.updateComplete;
    expect(outputs(cell).querySelector('slot')).to.equal(null);
    expect(outputs(cell).textContent).to.contain('sum: 45');
    expect(outputs(cell).textContent).not.to.contain('pre-rendered');
  });

  it('shows a data-output <pre> as the live output that replaces it, without a shift', async () => {
    const page = thebePage(`
      <script type="text/x-thebe-config">${quickstart({ bootstrap: true, requestKernel: false })}</script>
      <pre data-executable="true" data-language="python">print("station,height_m")</pre>
      <div data-output><pre>station,height_m</pre></div>
    `);
    const cell = await waitFor(
      () => page.querySelector<BinderCell>('binder-cell.thebe-cell') ?? undefined,
      'the Thebe cell to become a <binder-cell>',
    );
    await cell.updateComplete;
    const looks = (text: Element) => {
      const { fontFamily, fontSize, marginTop, marginBottom } = getComputedStyle(text);
      return { fontFamily, fontSize, marginTop, marginBottom };
    };
    const before = looks(cell.querySelector('[data-output] pre') as Element);
    const height = outputs(cell).getBoundingClientRect().height;
    await cell.run();
    await cell.updateComplete;
    const live = outputs(cell).querySelector('[part~="stream"] pre') as Element;
    expect(live.textContent).to.equal('station,height_m\n');
    expect(looks(live)).to.deep.equal(before);
    expect(outputs(cell).getBoundingClientRect().height).to.equal(height);
  });

  it('waits for thebelab.bootstrap(), which resolves with the kernel ready and tells status listeners', async () => {
    const page = thebePage(`
      <script type="text/x-thebelab-config">${quickstart({ kernelOptions: { name: 'python3' } }, otherSpelling())}</script>
      <div class="thebe-status"></div>
      <pre data-executable>shared = 41</pre>
      <pre data-executable data-readonly>print(shared + 1)</pre>
    `);
    const statuses: ThebeStatus[] = [];
    thebe().on('status', () => {
      throw new Error('a broken listener does not stop the others');
    });
    thebe().on('status', (_event, data) => statuses.push(data));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(page.querySelectorAll('pre[data-executable]')).to.have.length(2);

    const consoleError = console.error;
    const errors: unknown[] = [];
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    const { cells } = await thebe()
      .bootstrap()
      .finally(() => (console.error = consoleError));
    expect(String(errors[0])).to.contain('a broken listener does not stop the others');
    expect(cells).to.have.length(2);
    expect(cells[1]?.readonly).to.equal(true);
    expect(cells[0]?.session?.status.state).to.equal('ready');
    expect(statuses.map(({ status }) => status)).to.include.members(['launching', 'ready']);
    expect(page.querySelector('.thebe-status')?.textContent).to.equal('Status: Kernel ready');

    for (const cell of cells) await cell.run();
    await cells[1]?.updateComplete;
    expect(outputs(cells[1] as BinderCell).textContent).to.contain('42');
  });

  it("runs doctest pages in kernelOptions.path's folder, with stripPrompts", async () => {
    const page = thebePage(`
      <script type="text/x-thebe-config">${quickstart({
        requestKernel: false,
        kernelOptions: { path: 'weather/stations.ipynb' },
        stripPrompts: { inPrompt: '>>> ', continuationPrompt: '... ' },
      })}</script>
      <pre data-executable>&gt;&gt;&gt; import stations
&gt;&gt;&gt; for name, height in stations.load()[:2]:
...     print(name, height)
Zurich 556
Davos 1594</pre>
    `);
    await waitFor(() => window.thebe, 'window.thebe');
    const { cells } = await thebe().bootstrap();
    const [cell] = cells as [BinderCell];
    expect(document.querySelector('binder-config')?.getAttribute('path')).to.equal(
      'weather/stations.ipynb',
    );
    expect(cell.code).to.equal(
      'import stations\nfor name, height in stations.load()[:2]:\n    print(name, height)',
    );
    expect(page.querySelector('binder-cell [slot="output"]')?.textContent).to.equal(
      'Zurich 556\nDavos 1594',
    );
    await cell.run();
    await cell.updateComplete;
    expect(outputs(cell).textContent).to.contain('Zurich 556\nDavos 1594');
  });

  it('names a kernel the environment lacks, as the binder-cell kind does, and ends the session', async () => {
    const before = await sessionCount();
    thebePage(`
      <script type="text/x-thebe-config">${quickstart({ kernelOptions: { name: 'no-such-kernel' } })}</script>
      <pre data-executable>print(1)</pre>
    `);
    await waitFor(() => window.thebe, 'window.thebe');
    const failure = await rejection(thebe().bootstrap());
    expect(failure).to.be.an('error');
    // The host's own kernels (R's IRkernel, scripts/setup.sh require_r) are listed too.
    expect(String((failure as Error).message)).to.match(
      /kernel "no-such-kernel" is not available in this environment \(available: ([\w-]+, )*python3(, [\w-]+)*\)/,
    );
    for (let waited = 0; (await sessionCount()) !== before; waited += 100) {
      if (waited > 10_000) throw new Error('the session was not ended');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('upgrades from the activate button when the page does not bootstrap by itself', async () => {
    const page = thebePage(`
      <script type="text/x-thebe-config">${quickstart({ requestKernel: false })}</script>
      <div class="thebe-activate"></div>
      <pre data-executable>1 + 1</pre>
    `);
    const button = await waitFor(
      () => page.querySelector<HTMLButtonElement>('.thebe-activate button') ?? undefined,
      'the activate button',
    );
    expect(button.textContent).to.equal('Activate');
    button.click();
    await waitFor(() => page.querySelector('binder-cell') ?? undefined, 'the cell to be upgraded');
    expect(button.disabled).to.equal(true);
  });

  it('lets a <binder-config> the page wrote win over the Thebe options', async () => {
    const page = thebePage(`
      <binder-config repo="local/quickstart" server="${testServer()}"></binder-config>
      <script type="text/x-thebe-config">{ "requestKernel": false }</script>
      <pre data-executable>1 + 1</pre>
    `);
    await waitFor(() => window.thebe, 'window.thebe');
    const { cells } = await thebe().bootstrap({ binderOptions: { repo: 'org/elsewhere' } });
    expect(page.querySelectorAll('binder-config')).to.have.length(1);
    expect(cells[0]?.session?.settings).to.include({
      kind: 'binder-cell',
      repo: 'local/quickstart',
    });
  });

  it('shows an unreadable config on the page and in the console, and leaves the code alone', async () => {
    const errors: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      const page = thebePage(`
        <script type="text/x-thebe-config">{ bootstrap: true, binderOptions: { repo: getRepo() } }</script>
        <pre data-executable>print(1)</pre>
      `);
      const notice = await waitFor(
        () => page.querySelector('[role="alert"]') ?? undefined,
        'the problem notice',
      );
      expect(notice.textContent).to.contain('could not be read');
      expect(notice.textContent).to.contain("invalid character 'g' at 1:43");
      expect(notice.nextElementSibling?.matches('pre[data-executable]')).to.equal(true);
      expect(String(errors[0])).to.contain('Thebe configuration');
      expect(await rejection(thebe().bootstrap()))
        .to.be.an('error')
        .with.property('message')
        .that.contains('could not be read');
      expect(page.querySelector('binder-cell')).to.equal(null);
    } finally {
      console.error = consoleError;
    }
  });

  it('says that JupyterLite kernels are not supported', async () => {
    const consoleError = console.error;
    console.error = () => undefined;
    try {
      const page = thebePage(`
        <script type="text/x-thebe-config">{ "useJupyterLite": true }</script>
        <pre data-executable>print(1)</pre>
      `);
      await waitFor(() => window.thebe, 'window.thebe');
      expect(await rejection(thebe().bootstrap()))
        .to.be.an('error')
        .with.property('message')
        .that.contains('useJupyterLite is not supported');
      expect(page.querySelector('[role="alert"]')?.textContent).to.contain('useJupyterLite');
    } finally {
      console.error = consoleError;
    }
  });

  it('leaves pages to Thebe itself when it is loaded too', () => {
    const real = { bootstrap: () => Promise.resolve({ cells: [] }) } as unknown as ThebeGlobal;
    window.thebe = real;
    const consoleWarn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      thebePage('<pre data-executable>print(1)</pre>');
      expect(window.thebe).to.equal(real);
      expect(String(warnings[0])).to.contain('Thebe itself is loaded');
    } finally {
      console.warn = consoleWarn;
    }
  });
});
