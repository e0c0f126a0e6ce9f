import JSON5 from 'json5';

/** Thebe options as a page writes them (a JSON object); read with the helpers below. */
export type ThebeOptions = Record<string, unknown>;

/** Config scripts of Thebe and of its earlier name, ThebeLab. */
const CONFIG_SCRIPTS = 'script[type="text/x-thebe-config"], script[type="text/x-thebelab-config"]';

export type PageOptionsResult =
  { ok: true; options: ThebeOptions } | { ok: false; problem: string };

/**
 * The options of every Thebe config script on the page, merged in page order as Thebe
 * merges them; a script that cannot be read makes the whole result a problem to show.
 */
export function readPageOptions(document: Document): PageOptionsResult {
  let options: ThebeOptions = {};
  for (const [index, script] of [...document.querySelectorAll(CONFIG_SCRIPTS)].entries()) {
    const text = script.textContent ?? '';
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      // JSON5 reads JSON and the object literals Thebe's docs write, and evaluates nothing.
      parsed = JSON5.parse(text);
    } catch (error) {
      return {
        ok: false,
        problem: `The Thebe configuration (config script ${index + 1}) could not be read: ${(error as Error).message}. Write it as JSON, e.g. { "binderOptions": { "repo": "org/name" } }.`,
      };
    }
    if (!isRecord(parsed)) {
      return {
        ok: false,
        problem: `The Thebe configuration (config script ${index + 1}) must be an object in braces, { ... }.`,
      };
    }
    options = mergeOptions(options, parsed);
  }
  return { ok: true, options };
}

/** Deep merge of option objects: later ones win, nested objects merge key by key. */
export function mergeOptions(...layers: ThebeOptions[]): ThebeOptions {
  const merged: ThebeOptions = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (key === '__proto__') continue;
      const before = merged[key];
      merged[key] = isRecord(before) && isRecord(value) ? mergeOptions(before, value) : value;
    }
  }
  return merged;
}

export function isRecord(value: unknown): value is ThebeOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key`, or an empty one. */
export function group(options: ThebeOptions, key: string): ThebeOptions {
  const value = options[key];
  return isRecord(value) ? value : {};
}

/** The text at `key` (numbers too), or undefined for anything else or an empty string. */
export function text(options: ThebeOptions, key: string): string | undefined {
  const value = options[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A yes/no option: JavaScript truthiness, as Thebe reads it; `fallback` when absent. */
export function flag(options: ThebeOptions, key: string, fallback: boolean): boolean {
  return Object.hasOwn(options, key) ? Boolean(options[key]) : fallback;
}
