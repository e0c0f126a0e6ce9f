import { BinderRepository } from '@jupyterhub/binderhub-client/client.js';
import { expect } from '@open-wc/testing';
import { testServer } from '../../test-support/server.js';
import { connectKernel } from '../session/runtime.js';

interface BinderHubLine {
  phase?: string;
  message?: string;
  url?: string;
  token?: string;
}

describe("BinderHub's own JavaScript client against binder-cell's /build", () => {
  it('builds, launches and hands over a server that runs code', async () => {
    const repository = new BinderRepository('local/quickstart', new URL('build/', testServer()));
    const phases: string[] = [];
    let ready: BinderHubLine | undefined;
    for await (const line of repository.fetch() as AsyncIterable<BinderHubLine>) {
      if (line.phase) phases.push(line.phase);
      if (line.phase === 'failed') throw new Error(line.message);
      if (line.phase === 'ready') {
        ready = line;
        repository.close();
        break;
      }
    }
    expect(phases[0]).to.equal('waiting');
    expect(phases).to.include.members(['built', 'launching', 'ready']);
    expect(ready?.url).to.match(/\/sessions\/[0-9a-f-]{36}\/$/);

    const url = ready?.url ?? '';
    const handle = await connectKernel(
      {
        server: testServer(),
        url,
        wsUrl: `ws${url.slice(4)}`,
        token: ready?.token ?? '',
        kernel: 'python3',
      },
      { onChange: () => undefined, widgets: { moduleUrl: '', allowJavascript: false } },
    );
    try {
      const printed: string[] = [];
      await handle.execute('print("via binderhub-client")', {
        onIOPub: (message) => {
          if (message.header.msg_type === 'stream')
            printed.push((message.content as { text: string }).text);
        },
      });
      expect(printed.join('')).to.equal('via binderhub-client\n');
    } finally {
      handle.dispose();
    }
  });
});
