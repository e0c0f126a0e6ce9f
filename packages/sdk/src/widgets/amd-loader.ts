/**
 * Loads third-party widget modules, which are published as AMD bundles
 * (`define([...deps], factory)`), from a URL template, with a script element: no eval, so
 * a Content-Security-Policy only has to allow the modules' host in `script-src`.
 */

export type ModuleLoader = (name: string, version: string) => Promise<Record<string, unknown>>;

interface Definition {
  dependencies: string[];
  factory: unknown;
}

type Define = ((...args: unknown[]) => void) & { amd?: object };

declare global {
  interface Window {
    define?: Define;
  }
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();

export function moduleUrl(template: string, name: string, version: string): string {
  const path = template
    .replaceAll('{name}', name)
    .replaceAll('{version}', version.replace(/^[\^~]/, ''));
  return new URL(path, document.baseURI).href;
}

/** Loads `name@version`; its dependencies come from `load` (built-in modules or more bundles). */
export function loadAmdModule(
  name: string,
  version: string,
  template: string,
  load: ModuleLoader,
): Promise<Record<string, unknown>> {
  const url = moduleUrl(template, name, version);
  let module = loaded.get(url);
  if (!module) {
    module = evaluate(url, load);
    loaded.set(url, module);
    module.catch(() => loaded.delete(url));
  }
  return module;
}

async function evaluate(url: string, load: ModuleLoader): Promise<Record<string, unknown>> {
  const definition = await runScript(url);
  const exports: Record<string, unknown> = {};
  const dependencies = await Promise.all(
    definition.dependencies.map(async (dependency): Promise<unknown> => {
      if (dependency === 'exports') return exports;
      if (dependency === 'module') return { exports };
      if (dependency === 'require') return () => undefined;
      return load(dependency, '*');
    }),
  );
  if (typeof definition.factory !== 'function')
    return definition.factory as Record<string, unknown>;
  const returned = (definition.factory as (...args: unknown[]) => unknown)(...dependencies);
  return (returned as Record<string, unknown> | undefined) ?? exports;
}

let lastDefinition: Definition | undefined;
let loading = 0;
let pageDefine: Define | undefined;

const define: Define = (...args: unknown[]) => {
  const [first, second] = typeof args[0] === 'string' ? args.slice(1) : args;
  lastDefinition = Array.isArray(first)
    ? { dependencies: first as string[], factory: second }
    : { dependencies: [], factory: first };
};
define.amd = {};

/**
 * Runs one bundle while a global `define` is in place (the page's own, if any, comes back
 * afterwards). A script element runs and then fires `load` in one task, so the definition
 * seen when `load` fires is that script's.
 */
function runScript(url: string): Promise<Definition> {
  if (loading === 0) {
    pageDefine = window.define;
    window.define = define;
  }
  loading += 1;
  return new Promise<Definition>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.addEventListener('load', () => {
      const definition = lastDefinition;
      lastDefinition = undefined;
      if (definition) resolve(definition);
      else reject(new Error(`${url} did not define an AMD module.`));
    });
    script.addEventListener('error', () =>
      reject(new Error(`Could not load the widget module ${url}.`)),
    );
    document.head.append(script);
  }).finally(() => {
    loading -= 1;
    if (loading === 0) window.define = pageDefine;
  });
}
