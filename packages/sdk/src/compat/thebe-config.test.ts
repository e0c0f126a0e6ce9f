import { expect } from '@open-wc/testing';
import { planFor } from './thebe-config.js';
import type { ThebePlan } from './thebe-config.js';
import { readPageOptions } from './thebe-options.js';
import type { ThebeOptions } from './thebe-options.js';

const PAGE = 'https://docs.example.org/book/page.html';

function plan(options: ThebeOptions): ThebePlan {
  const result = planFor(options, PAGE);
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

function problem(options: ThebeOptions): string {
  const result = planFor(options, PAGE);
  return result.ok ? '' : result.problem;
}

/** A document holding these config scripts. */
function pageWith(...scripts: [type: string, text: string][]): Document {
  const page = document.implementation.createHTMLDocument();
  for (const [type, text] of scripts) {
    const script = page.createElement('script');
    script.type = type;
    script.textContent = text;
    page.head.append(script);
  }
  return page;
}

describe('Thebe config scripts', () => {
  it('merges every config script in page order, under either name', () => {
    const page = pageWith(
      ['text/x-thebe-config', '{ "binderOptions": { "repo": "org/a", "ref": "v1" } }'],
      ['text/x-thebelab-config', '{ binderOptions: { ref: "v2" }, bootstrap: true }'],
      ['text/javascript', 'not a config'],
    );
    expect(readPageOptions(page)).to.deep.equal({
      ok: true,
      options: { binderOptions: { repo: 'org/a', ref: 'v2' }, bootstrap: true },
    });
  });

  it('reads the object literals of Thebe and sphinx-thebe pages, and refuses code', () => {
    const sphinxThebe = `
      {
        requestKernel: true,
        // a comment
        binderOptions: { repo: "org/book", ref: 'main', },
        codeMirrorConfig: { mode: 'it\\'s "python"' }, /* trailing */
      }`;
    expect(readPageOptions(pageWith(['text/x-thebe-config', sphinxThebe]))).to.deep.equal({
      ok: true,
      options: {
        requestKernel: true,
        binderOptions: { repo: 'org/book', ref: 'main' },
        codeMirrorConfig: { mode: 'it\'s "python"' },
      },
    });
    let ran = false;
    (window as unknown as { thebeHook: () => void }).thebeHook = () => (ran = true);
    const code = readPageOptions(pageWith(['text/x-thebe-config', '{\n  hook: thebeHook()\n}']));
    expect(!code.ok && code.problem).to.match(/at 2:/);
    expect(ran).to.equal(false);
  });

  it('says which config script cannot be read, and how to write it', () => {
    const result = readPageOptions(
      pageWith(['text/x-thebe-config', '{}'], ['text/x-thebe-config', '{ repo: "a" + "b" }']),
    );
    expect(result.ok).to.equal(false);
    const message = result.ok ? '' : result.problem;
    expect(message).to.contain('config script 2');
    expect(message).to.contain('could not be read');
    expect(message).to.contain('Write it as JSON');
    const list = readPageOptions(pageWith(['text/x-thebe-config', '[1, 2]']));
    expect(!list.ok && list.problem).to.contain('must be an object');
  });
});

describe('Thebe options → binder-cell settings', () => {
  it("uses Thebe's defaults: markup selectors, example repo on master, kernel at bootstrap", () => {
    expect(plan({})).to.deep.equal({
      bootstrap: false,
      requestKernel: true,
      selector: '[data-executable]',
      outputSelector: '[data-output]',
      predefinedOutput: true,
      config: { repo: 'gh/binder-examples/requirements/master' },
      language: undefined,
      readonly: false,
      prompts: undefined,
      unsupported: [],
    });
  });

  it('maps binderOptions to provider specs, on a BinderHub when binderUrl names one', () => {
    expect(
      plan({ binderOptions: { repo: 'https://github.com/org/book/', ref: 'main' } }).config,
    ).to.deep.equal({ repo: 'gh/org/book/main' });
    expect(
      plan({
        binderOptions: {
          repo: 'gitlab.com/group/sub/book',
          repoProvider: 'gitlab',
          binderUrl: 'https://mybinder.org',
        },
      }).config,
    ).to.deep.equal({
      kind: 'binderhub',
      server: 'https://mybinder.org/',
      repo: 'gl/group%2Fsub%2Fbook/master',
    });
    expect(
      plan({
        binderOptions: { repo: 'https://git.example.org/book.git', repoProvider: 'git', ref: 'v1' },
      }).config.repo,
    ).to.equal('git/https%3A%2F%2Fgit.example.org%2Fbook.git/v1');
    expect(
      plan({ binderOptions: { repo: 'quickstart', repoProvider: 'local', ref: 'x' } }).config,
    ).to.deep.equal({
      repo: 'local/quickstart',
    });
    expect(plan({ binderOptions: { repo: 'org/book', binderUrl: '/hub' } }).config.server).to.equal(
      'https://docs.example.org/hub/',
    );
    expect(problem({ binderOptions: { repoProvider: 'svn' } })).to.contain(
      'Unknown binderOptions.repoProvider "svn"',
    );
  });

  it('turns saved sessions into session reuse', () => {
    const reuse = (options: ThebeOptions) => plan(options).config.reuse;
    expect(reuse({ binderOptions: { savedSession: { enabled: true } } })).to.equal('86400');
    expect(
      reuse({ binderOptions: { savedSession: { maxAge: 600, storagePrefix: 'x-' } } }),
    ).to.equal('600');
    expect(reuse({ savedSessionOptions: { enabled: false } })).to.equal('0');
    expect(reuse({})).to.equal(undefined);
  });

  it('uses a plain Jupyter server given serverSettings, in either place Thebe keeps them', () => {
    const legacy = plan({
      kernelOptions: {
        name: 'ir',
        serverSettings: { baseUrl: 'http://127.0.0.1:8888', token: 't' },
      },
    });
    expect(legacy.config).to.deep.equal({
      kind: 'jupyter',
      server: 'http://127.0.0.1:8888/',
      token: 't',
      kernel: 'ir',
    });
    expect(
      plan({ useBinder: false, serverSettings: { baseUrl: 'http://jupyter.example.org/user/a/' } })
        .config,
    ).to.deep.equal({ kind: 'jupyter', server: 'http://jupyter.example.org/user/a/' });
    expect(plan({ useBinder: false }).config).to.deep.equal({
      kind: 'jupyter',
      server: 'http://localhost:8888/',
      token: 'test-secret',
    });
    const both = plan({
      binderOptions: { repo: 'org/book' },
      kernelOptions: { serverSettings: { baseUrl: 'http://x/' } },
    });
    expect(both.config.repo).to.equal('gh/org/book/master');
  });

  it('takes the kernel name from kernelName or name, and its working directory from path', () => {
    expect(
      plan({ kernelOptions: { kernelName: 'julia-1.10', name: 'x', path: 'docs/' } }).config,
    ).to.include({ kernel: 'julia-1.10', path: 'docs/' });
    expect(plan({ kernelOptions: { name: 'python' } }).config.kernel).to.equal('python3');
  });

  it('strips prompts as stripPrompts says, with Python prompts where none is given', () => {
    expect(plan({}).prompts).to.equal(undefined);
    expect(plan({ stripPrompts: false }).prompts).to.equal(undefined);
    expect(plan({ stripPrompts: true }).prompts).to.deep.equal({
      input: '>>> ',
      continuation: '... ',
    });
    expect(
      plan({ stripPrompts: { inPrompt: 'In [1]: ', continuationPrompt: '   ...: ' } }).prompts,
    ).to.deep.equal({ input: 'In [1]: ', continuation: '   ...: ' });
    expect(plan({ stripPrompts: { inPrompt: '> ' } }).prompts).to.deep.equal({
      input: '> ',
      continuation: '... ',
    });
  });

  it('takes cell defaults from codeMirrorConfig, and output handling from predefinedOutput', () => {
    const cells = plan({
      codeMirrorConfig: { readOnly: true, mode: 'r', theme: 'abcdef', lineNumbers: true },
      predefinedOutput: false,
      requestKernel: false,
      bootstrap: true,
      selector: 'pre.live',
      outputSelector: '.out',
      mathjaxUrl: 'https://cdn.example.org/mathjax.js',
      mathjaxConfig: 'TeX-AMS_CHTML-full,Safe',
    });
    expect(cells).to.include({
      language: 'r',
      readonly: true,
      predefinedOutput: false,
      requestKernel: false,
      bootstrap: true,
      selector: 'pre.live',
      outputSelector: '.out',
    });
    expect(plan({ binderOptions: { codeMirrorConfig: { mode: 'julia' } } }).language).to.equal(
      'julia',
    );
    expect(plan({ preRenderedOutput: false }).predefinedOutput).to.equal(false);
  });

  it('says plainly what it cannot do', () => {
    expect(problem({ useJupyterLite: true })).to.contain('useJupyterLite is not supported');
    expect(problem({ selector: 'pre[' })).to.contain('selector "pre[" is not a CSS selector');
    expect(problem({ binderOptions: { binderUrl: 'http://[' } })).to.contain('is not a URL');
    expect(plan({ stripOutputPrompts: { outPrompt: 'Out:' } }).unsupported).to.deep.equal([
      'stripOutputPrompts',
    ]);
  });
});
