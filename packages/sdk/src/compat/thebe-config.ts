import { formatRepoSpec } from '@binder-cell/launch-protocol';
import { PYTHON_PROMPTS } from '../cell/prompts.js';
import type { Prompts } from '../cell/prompts.js';
import { flag, group, isRecord, text } from './thebe-options.js';
import type { ThebeOptions } from './thebe-options.js';

/** What binder-cell does with a page's Thebe options. */
export interface ThebePlan {
  /** Upgrade the cells as soon as the page loads. */
  bootstrap: boolean;
  /** Launch the session at bootstrap rather than on the first Run. */
  requestKernel: boolean;
  selector: string;
  outputSelector: string;
  /** Show the output element after each cell until the cell first runs. */
  predefinedOutput: boolean;
  /** Attributes of the page's `<binder-config>` (`server`, `kind`, `repo`, `kernel`, `path`, ...). */
  config: Record<string, string>;
  /** Cell defaults from `codeMirrorConfig`; a cell's `data-language` and `data-readonly` win. */
  language: string | undefined;
  readonly: boolean;
  /** Prompts the cells strip (`stripPrompts`), as their `in-prompt` and `continuation-prompt`. */
  prompts: Prompts | undefined;
  /** Options that change which code runs and that binder-cell does not act on. */
  unsupported: string[];
}

export type PlanResult = { ok: true; plan: ThebePlan } | { ok: false; problem: string };
type Attributes = { ok: true; attributes: Record<string, string> } | { ok: false; problem: string };

/** Thebe's defaults: its example repository, on the `master` branch. */
const DEFAULT_REPO = 'binder-examples/requirements';
const DEFAULT_REF = 'master';
/** The local Jupyter server Thebe's documentation starts (`--NotebookApp.token=test-secret`). */
const DEFAULT_JUPYTER = { server: 'http://localhost:8888/', token: 'test-secret' };

/** Maps Thebe options (defaults, page config scripts and `bootstrap()` options merged) to binder-cell's. */
export function planFor(options: ThebeOptions, baseUrl: string): PlanResult {
  if (flag(options, 'useJupyterLite', false)) {
    return {
      ok: false,
      problem:
        'useJupyterLite is not supported: binder-cell runs code on a server kernel, not in the browser. Remove useJupyterLite to use a Binder or Jupyter server.',
    };
  }
  const selector = text(options, 'selector') ?? '[data-executable]';
  const outputSelector = text(options, 'outputSelector') ?? '[data-output]';
  const invalid = Object.entries({ selector, outputSelector }).find(
    ([, value]) => !isSelector(value),
  );
  if (invalid) {
    return {
      ok: false,
      problem: `The Thebe ${invalid[0]} ${JSON.stringify(invalid[1])} is not a CSS selector.`,
    };
  }
  const server = serverAttributes(options, baseUrl);
  if (!server.ok) return server;
  const codeMirror = {
    ...group(group(options, 'binderOptions'), 'codeMirrorConfig'),
    ...group(options, 'codeMirrorConfig'),
  };
  const kernelOptions = group(options, 'kernelOptions');
  const kernel = kernelName(kernelOptions);
  const path = text(kernelOptions, 'path');
  return {
    ok: true,
    plan: {
      bootstrap: flag(options, 'bootstrap', false),
      requestKernel: flag(options, 'requestKernel', true),
      selector,
      outputSelector,
      predefinedOutput: flag(options, 'predefinedOutput', flag(options, 'preRenderedOutput', true)),
      config: { ...server.attributes, ...(kernel ? { kernel } : {}), ...(path ? { path } : {}) },
      language: text(codeMirror, 'mode'),
      readonly: flag(codeMirror, 'readOnly', false),
      prompts: promptsOption(options.stripPrompts),
      unsupported: flag(options, 'stripOutputPrompts', false) ? ['stripOutputPrompts'] : [],
    },
  };
}

/**
 * Binder unless told otherwise (`useBinder: false`) or given only a Jupyter server's
 * `serverSettings` (Thebe 0.9 keeps them at the top level, earlier versions in `kernelOptions`).
 */
function serverAttributes(options: ThebeOptions, baseUrl: string): Attributes {
  const binder = group(options, 'binderOptions');
  const serverSettings = {
    ...group(group(options, 'kernelOptions'), 'serverSettings'),
    ...group(options, 'serverSettings'),
  };
  const onlyJupyter =
    text(binder, 'repo') === undefined && text(serverSettings, 'baseUrl') !== undefined;
  return flag(options, 'useBinder', !onlyJupyter)
    ? binderAttributes(binder, options, baseUrl)
    : jupyterAttributes(serverSettings, baseUrl);
}

function jupyterAttributes(settings: ThebeOptions, baseUrl: string): Attributes {
  const given = text(settings, 'baseUrl');
  const server = absoluteUrl(given ?? DEFAULT_JUPYTER.server, baseUrl);
  if (!server)
    return { ok: false, problem: `serverSettings.baseUrl ${JSON.stringify(given)} is not a URL.` };
  const token = text(settings, 'token') ?? (given ? undefined : DEFAULT_JUPYTER.token);
  return { ok: true, attributes: { kind: 'jupyter', server, ...(token ? { token } : {}) } };
}

/**
 * A BinderHub when `binderUrl` names one (a binder-cell server answers BinderHub's `/build`
 * too); otherwise the binder-cell server the SDK was loaded from.
 */
function binderAttributes(
  binder: ThebeOptions,
  options: ThebeOptions,
  baseUrl: string,
): Attributes {
  const provider = (text(binder, 'repoProvider') ?? 'github').toLowerCase();
  const repo = repoSpec(
    provider,
    text(binder, 'repo') ?? DEFAULT_REPO,
    text(binder, 'ref') ?? DEFAULT_REF,
  );
  if (!repo) {
    return {
      ok: false,
      problem: `Unknown binderOptions.repoProvider ${JSON.stringify(provider)}: use github, gitlab, git, gist or local.`,
    };
  }
  const binderUrl = text(binder, 'binderUrl');
  const server = binderUrl === undefined ? undefined : absoluteUrl(binderUrl, baseUrl);
  if (binderUrl !== undefined && !server) {
    return {
      ok: false,
      problem: `binderOptions.binderUrl ${JSON.stringify(binderUrl)} is not a URL.`,
    };
  }
  const reuse = reuseSeconds({
    ...group(binder, 'savedSession'),
    ...group(options, 'savedSessionOptions'),
  });
  return {
    ok: true,
    attributes: {
      ...(server ? { kind: 'binderhub', server } : {}),
      repo,
      ...(reuse === undefined ? {} : { reuse }),
    },
  };
}

/** BinderHub's provider spec for a Thebe repository; `local` names a binder-cell server's own folders. */
function repoSpec(provider: string, repo: string, ref: string): string | undefined {
  const trimmed = repo.replace(/^\/+|\/+$/g, '');
  const github = trimmed.replace(/^(https?:\/\/)?github\.com\//, '');
  switch (provider) {
    case 'github': {
      const slash = github.indexOf('/');
      const [owner, name] =
        slash === -1 ? [github, ''] : [github.slice(0, slash), github.slice(slash + 1)];
      return formatRepoSpec({ provider: 'gh', owner, name, ref });
    }
    case 'gitlab': {
      const namespace = trimmed.replace(/^(https?:\/\/)?gitlab\.com\//, '');
      return formatRepoSpec({ provider: 'gl', namespace, ref });
    }
    case 'git':
      return formatRepoSpec({ provider: 'git', url: trimmed, ref });
    case 'gist':
      return `gist/${github}/${ref}`;
    case 'local':
      return formatRepoSpec({ provider: 'local', name: trimmed });
    default:
      return undefined;
  }
}

/** Thebe's saved sessions (on unless `enabled: false`, for `maxAge` seconds) as `reuse`. */
function reuseSeconds(saved: ThebeOptions): string | undefined {
  if (Object.keys(saved).length === 0) return undefined;
  if (!flag(saved, 'enabled', true)) return '0';
  const maxAge = Number(saved.maxAge ?? 86400);
  return Number.isFinite(maxAge) && maxAge >= 0 ? String(maxAge) : undefined;
}

/**
 * Thebe's `stripPrompts: { inPrompt, continuationPrompt }` (prompts are taken as written,
 * spaces included); Python's `>>> ` and `... ` where one is not given, and for `true`.
 */
function promptsOption(value: unknown): Prompts | undefined {
  if (value === true) return PYTHON_PROMPTS;
  if (!isRecord(value)) return undefined;
  const prompt = (key: string) => {
    const given = value[key];
    return typeof given === 'string' && given !== '' ? given : undefined;
  };
  return {
    input: prompt('inPrompt') ?? PYTHON_PROMPTS.input,
    continuation: prompt('continuationPrompt') ?? PYTHON_PROMPTS.continuation,
  };
}

/** `kernelName` (Thebe 0.9) or `name`; the `python` shorthand Thebe's docs mention is `python3`. */
function kernelName(kernelOptions: ThebeOptions): string | undefined {
  const name = text(kernelOptions, 'kernelName') ?? text(kernelOptions, 'name');
  return name === 'python' ? 'python3' : name;
}

function absoluteUrl(url: string, baseUrl: string): string | undefined {
  try {
    const absolute = new URL(url, baseUrl);
    if (!absolute.pathname.endsWith('/')) absolute.pathname += '/';
    return absolute.href;
  } catch {
    return undefined;
  }
}

function isSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}
