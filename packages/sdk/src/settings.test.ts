import { expect, fixture, html } from '@open-wc/testing';
import { kernelPath, resolveSettings, sessionKey } from './settings.js';

describe('resolveSettings', () => {
  afterEach(() =>
    document.querySelectorAll('binder-config').forEach((element) => element.remove()),
  );

  it('takes page settings from <binder-config> and lets a cell override them', async () => {
    const config = document.createElement('binder-config');
    config.setAttribute('server', 'http://binder.example.org/');
    config.setAttribute('repo', 'local/book');
    document.body.append(config);
    const cell = await fixture(html`<div kernel="ir" ref="v2"></div>`);
    expect(resolveSettings(cell)).to.deep.equal({
      ok: true,
      settings: {
        name: '',
        servers: ['http://binder.example.org/'],
        kind: 'binder-cell',
        repo: 'local/book',
        ref: 'v2',
        kernel: 'ir',
        path: '',
        launch: 'run',
        reuse: 3600,
        allowJavascript: false,
        widgetsUrl: 'https://cdn.jsdelivr.net/npm/{name}@{version}/dist/index.js',
        editor: 'lazy',
      },
    });
  });

  it('says plainly when there is no repository', async () => {
    const cell = await fixture(html`<div></div>`);
    const result = resolveSettings(cell);
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.problem).to.contain('no repository');
  });

  it("finds the <binder-config> of a cell's session group, and lists servers", async () => {
    const python = document.createElement('binder-config');
    python.setAttribute('repo', 'local/python');
    const r = document.createElement('binder-config');
    r.setAttribute('session', 'r');
    r.setAttribute('repo', 'gh/org/r-book/main');
    r.setAttribute('kernel', 'ir');
    r.setAttribute('server', 'https://a.example.org/ https://b.example.org/');
    document.body.append(python, r);
    const cell = await fixture(html`<div session="r"></div>`);
    const result = resolveSettings(cell);
    expect(result.ok && result.settings).to.include({
      name: 'r',
      repo: 'gh/org/r-book/main',
      kernel: 'ir',
    });
    expect(result.ok && result.settings.servers).to.deep.equal([
      'https://a.example.org/',
      'https://b.example.org/',
    ]);
  });

  it('needs no repository for a plain Jupyter server, and refuses unknown kinds', async () => {
    const jupyter = resolveSettings(
      await fixture(html`<div kind="jupyter" server="http://127.0.0.1:8888/" token="t"></div>`),
    );
    expect(jupyter.ok && jupyter.settings).to.include({ kind: 'jupyter', token: 't' });
    const unknown = resolveSettings(await fixture(html`<div kind="lab" repo="x"></div>`));
    expect(!unknown.ok && unknown.problem).to.contain('Unknown server kind');
  });

  it('gives equal settings equal keys, and groups their own', async () => {
    const first = resolveSettings(await fixture(html`<div repo="local/a"></div>`));
    const same = resolveSettings(await fixture(html`<div repo="local/a"></div>`));
    const otherRef = resolveSettings(await fixture(html`<div repo="local/a" ref="x"></div>`));
    const otherGroup = resolveSettings(await fixture(html`<div repo="local/a" session="g"></div>`));
    if (!first.ok || !same.ok || !otherRef.ok || !otherGroup.ok) throw new Error('settings');
    expect(sessionKey(first.settings)).to.equal(sessionKey(same.settings));
    expect(sessionKey(first.settings)).not.to.equal(sessionKey(otherRef.settings));
    expect(sessionKey(first.settings)).not.to.equal(sessionKey(otherGroup.settings));
  });

  it('gives cells in another working directory a kernel of their own', async () => {
    const root = resolveSettings(await fixture(html`<div repo="local/a" path="/"></div>`));
    const sub = resolveSettings(await fixture(html`<div repo="local/a" path="./data/"></div>`));
    if (!root.ok || !sub.ok) throw new Error('settings');
    expect([root.settings.path, sub.settings.path]).to.deep.equal(['', 'data']);
    expect(sessionKey(root.settings)).not.to.equal(sessionKey(sub.settings));
  });
});

describe('kernelPath', () => {
  it('reads a path relative to the repository, as Jupyter does', () => {
    expect(kernelPath(undefined)).to.equal('');
    expect(kernelPath('/')).to.equal('');
    expect(kernelPath('chapters//one/./notebook.ipynb')).to.equal('chapters/one/notebook.ipynb');
    expect(kernelPath('/chapters/two/../one/')).to.equal('chapters/one');
  });

  it('falls back to the root for a path that leaves the repository', () => {
    expect(kernelPath('..')).to.equal('');
    expect(kernelPath('chapters/../../etc')).to.equal('');
    expect(kernelPath('../../home/user')).to.equal('');
  });
});
