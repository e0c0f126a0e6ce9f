import { expect, html } from '@open-wc/testing';
import { cellsIn, outputText, runAndWait } from '../../test-support/cells.js';
import { testServer } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import { binderCellServer } from '../servers/binder-cell.js';
import { resolveSettings } from '../settings.js';
import { connectKernel } from './runtime.js';
import type { KernelHandle } from './runtime.js';

/** Prints the files of the working directory (not the caches of imports). */
const LIST = 'import os\nprint("files:", sorted(f for f in os.listdir() if f != "__pycache__"))';
const ROOT_FILES = "files: ['README.md', 'data', 'requirements.txt', 'weather']";
const WEATHER_FILES = "files: ['stations.csv', 'stations.py']";

async function run(cell: BinderCell): Promise<string> {
  await runAndWait(cell);
  return outputText(cell);
}

/** What `code` prints on a kernel of `handle`. */
async function printed(handle: KernelHandle, code: string): Promise<string> {
  const text: string[] = [];
  await handle.execute(code, {
    onIOPub: (message) => {
      if (message.header.msg_type === 'stream')
        text.push((message.content as { text: string }).text);
    },
  });
  return text.join('');
}

describe('the working directory of kernels (path)', () => {
  it('runs cells in a folder of the repository: relative reads and local imports work', async () => {
    const [cell] = await cellsIn(
      html`<div>
        <binder-config
          server=${testServer()}
          repo="local/quickstart"
          path="weather"
        ></binder-config>
        <binder-cell>
          <pre>
import stations
print(stations.load()[0], round(stations.fahrenheit(20)))</pre>
        </binder-cell>
      </div>`,
    );
    expect(await run(cell as BinderCell)).to.contain("('Zurich', 556) 68");
  });

  it("starts a cell given a notebook's path in the notebook's folder", async () => {
    const [cell] = await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell path="/weather/stations.ipynb"><pre>${LIST}</pre></binder-cell>
      </div>`,
    );
    expect(await run(cell as BinderCell)).to.contain(WEATHER_FILES);
  });

  it('gives cells of one page in other folders kernels of their own', async () => {
    const [root, weather] = (await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell>
          <pre>
place = "root"
${LIST}</pre>
        </binder-cell>
        <binder-cell path="weather">
          <pre>
print(globals().get("place"))
${LIST}</pre>
        </binder-cell>
      </div>`,
    )) as [BinderCell, BinderCell];
    expect(await run(root)).to.contain(ROOT_FILES);
    expect(await run(weather)).to.contain(`None\n${WEATHER_FILES}`);
    expect(root.session).not.to.equal(weather.session);
  });

  it('starts a cell whose path leaves the repository at its root', async () => {
    const [cell] = await cellsIn(
      html`<div>
        <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
        <binder-cell path="weather/../../.."><pre>${LIST}</pre></binder-cell>
      </div>`,
    );
    expect(await run(cell as BinderCell)).to.contain(ROOT_FILES);
  });

  it("keeps kernels in the repository whatever path a client sends the session's server", async () => {
    const element = document.createElement('div');
    element.setAttribute('server', testServer());
    element.setAttribute('repo', 'local/quickstart');
    const settings = resolveSettings(element);
    if (!settings.ok) throw new Error(settings.problem);
    const connection = await binderCellServer.connect(
      testServer(),
      settings.settings,
      () => undefined,
    );
    const options = {
      onChange: () => undefined,
      widgets: { moduleUrl: '', allowJavascript: false },
    };
    const handles: KernelHandle[] = [];
    try {
      for (const path of ['', '../../..', '/../../etc', 'weather/../../sessions']) {
        handles.push(await connectKernel(connection, { ...options, path }));
      }
      const places = await Promise.all(handles.map((handle) => printed(handle, LIST)));
      expect(places).to.deep.equal(Array(4).fill(`${ROOT_FILES}\n`));
    } finally {
      for (const handle of handles) handle.dispose();
    }
  });
});
