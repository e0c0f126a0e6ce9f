import { expect, fixture, html } from '@open-wc/testing';
import { resolveSettings, sessionKey } from './settings.js';

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
        server: 'http://binder.example.org/',
        repo: 'local/book',
        ref: 'v2',
        kernel: 'ir',
      },
    });
  });

  it('says plainly when there is no repository', async () => {
    const cell = await fixture(html`<div></div>`);
    const result = resolveSettings(cell);
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.problem).to.contain('no repository');
  });

  it('gives equal settings equal keys', () => {
    const settings = { server: 's', repo: 'r', kernel: 'python3' };
    expect(sessionKey(settings)).to.equal(sessionKey({ ...settings }));
    expect(sessionKey(settings)).not.to.equal(sessionKey({ ...settings, ref: 'x' }));
  });
});
