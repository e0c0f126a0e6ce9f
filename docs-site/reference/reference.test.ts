import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS, configFrom } from '../../server/src/cli/options.js';
import { SERVE_OPTIONS } from '../../server/src/cli/serve.js';
import { COMMAND_LINE, configKeys } from './configuration.js';
import { elementDeclarations, elementsManifest } from './elements.js';
import { SECTIONS, wireTypes } from './launch-protocol.js';
import { REFERENCE_PAGES, renderReferencePage } from './pages.js';

const SDK = new URL('../../packages/sdk/src/', import.meta.url);
const sdkSource = (path: string) => readFile(new URL(path, SDK), 'utf8');

describe('the committed reference pages', () => {
  it.each(Object.keys(REFERENCE_PAGES))('docs/%s is what the code generates', async (path) => {
    const committed = await readFile(new URL(`../../docs/${path}`, import.meta.url), 'utf8');
    // Stale: run `npm run docs:reference` and commit the result.
    expect(committed).toBe(await renderReferencePage(path));
  });
});

describe('the configuration reference', () => {
  it('describes every key', () => {
    const undescribed = configKeys()
      .filter((key) => !key.schema.properties && !key.schema.description)
      .map((key) => key.path);
    expect(undescribed).toEqual([]);
  });

  it('names every command-line option that sets a key, and only those', () => {
    const flags = Object.keys({ ...CONFIG_OPTIONS, ...SERVE_OPTIONS })
      .filter((name) => !['config', 'help'].includes(name))
      .map((name) => `--${name}`)
      .sort();
    const documented = Object.values(COMMAND_LINE)
      .flatMap(({ flag }) => (flag ? [flag] : []))
      .sort();
    expect(documented).toEqual(flags);
  });

  /** A value each documented option accepts, and what the key then holds. */
  const SAMPLES: Record<string, [string | boolean, unknown]> = {
    host: ['0.0.0.0', '0.0.0.0'],
    port: ['9123', 9123],
    publicUrl: ['https://binder.example.org/', 'https://binder.example.org/'],
    dataDir: ['/tmp/binder-cell-docs-check', '/tmp/binder-cell-docs-check'],
    backend: ['docker', 'docker'],
    examplesDir: ['/tmp/examples', '/tmp/examples'],
    docsDir: ['/tmp/docs', '/tmp/docs'],
    logLevel: ['debug', 'debug'],
    'repos.allowFileUrls': [true, true],
  };

  it.each(Object.entries(COMMAND_LINE).filter(([, { flag }]) => flag))(
    'the option given for %s sets it',
    async (key, { flag }) => {
      const sample = SAMPLES[key];
      if (!sample) throw new Error(`no sample value for ${key}`);
      const config = await configFrom({ [(flag ?? '').slice(2)]: sample[0] });
      const value = key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], config);
      expect(value).toEqual(sample[1]);
    },
  );

  it('PORT sets the port when --port is not given', async () => {
    const before = process.env.PORT;
    process.env.PORT = '9124';
    try {
      expect((await configFrom({})).port).toBe(9124);
    } finally {
      if (before === undefined) delete process.env.PORT;
      else process.env.PORT = before;
    }
  });
});

describe('the elements reference', () => {
  it('documents every attribute the SDK reads, on <binder-cell> and <binder-config>', async () => {
    const settings = [
      ...(await sdkSource('settings.ts')).matchAll(/read\('([a-z-]+)'\)/g),
      ...(await sdkSource('cell/prompts.ts')).matchAll(/read\('([a-z-]+)'\)/g),
    ].map((match) => match[1]);
    const cellProperties = /static override properties = \{([^}]*(?:\}[^}]*)*?)\};/.exec(
      await sdkSource('components/binder-cell/binder-cell.component.ts'),
    );
    // Each declared property's attribute: lit's `attribute` option, else its lower-cased name.
    const properties = [...(cellProperties?.[1] ?? '').matchAll(/(\w+): \{([^}]*)\}/g)].map(
      ([, name = '', options = '']) =>
        /attribute: '([a-z-]+)'/.exec(options)?.[1] ?? name.toLowerCase(),
    );
    expect(settings.length).toBeGreaterThan(10);
    expect(properties).toEqual(expect.arrayContaining(['readonly', 'language', 'setup']));

    const [cell, config] = elementDeclarations(await elementsManifest());
    const names = (element: typeof cell) => (element?.attributes ?? []).map((a) => a.name);
    expect(names(cell)).toEqual(
      expect.arrayContaining([...new Set([...settings, 'session', ...properties])]),
    );
    expect(names(config)).toEqual(expect.arrayContaining([...new Set([...settings, 'session'])]));
  });

  it('documents every CSS custom property and part the SDK styles with', async () => {
    const files = (await readdir(SDK, { recursive: true })).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    const text = (await Promise.all(files.map(sdkSource))).join('\n');
    const used = new Set(
      [...text.matchAll(/--binder-cell-[a-z-]*[a-z](?![a-z-])/g)].map((m) => m[0]),
    );
    const partNames = [...text.matchAll(/part="([a-z -]+)"/g)].map((m) => (m[1] ?? '').split(' '));
    const parts = new Set(partNames.map(([name]) => name));
    // `output <kind>`: each kind is named in the description of the `output` part.
    const kinds = new Set(
      partNames.flatMap(([name, kind]) => (name === 'output' && kind ? [kind] : [])),
    );
    const elements = elementDeclarations(await elementsManifest());
    const documentedProperties = elements.flatMap((e) =>
      (e.cssProperties ?? []).map((p) => p.name),
    );
    const documentedParts = elements.flatMap((e) => (e.cssParts ?? []).map((p) => p.name));
    expect(documentedProperties).toEqual(expect.arrayContaining([...used]));
    expect(documentedParts).toEqual(expect.arrayContaining([...parts]));
    expect(parts.size).toBeGreaterThan(10);
    const output = elements[0]?.cssParts?.find((part) => part.name === 'output')?.description ?? '';
    expect([...kinds].filter((kind) => !output.includes(`\`${kind}\``))).toEqual([]);
  });
});

describe('the hand-written guides', () => {
  const guide = (name: string) => readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

  it("name every attribute of the elements in sdk.md's Settings", async () => {
    const settings = /## Settings\n([\s\S]*?)\n## /.exec(await guide('sdk.md'))?.[1] ?? '';
    const elements = elementDeclarations(await elementsManifest());
    const attributes = new Set(
      elements.slice(0, 2).flatMap((element) => (element.attributes ?? []).map((a) => a.name)),
    );
    expect([...attributes].filter((name) => !settings.includes(`\`${name}\``))).toEqual([]);
  });

  it('name every custom property and part in theming.md', async () => {
    const theming = await guide('theming.md');
    const elements = elementDeclarations(await elementsManifest());
    const properties = elements.flatMap((e) => (e.cssProperties ?? []).map((p) => p.name));
    const parts = elements.flatMap((e) => (e.cssParts ?? []).map((p) => p.name));
    // The highlighting colours are written as one group: `--binder-cell-code-keyword`, `-string`, ...
    const named = (property: string) =>
      theming.includes(`\`${property}\``) ||
      theming.includes(`\`-${property.replace('--binder-cell-code-', '')}\``);
    expect(properties.filter((property) => !named(property))).toEqual([]);
    expect(parts.filter((part) => !theming.includes(`\`${part}\``))).toEqual([]);
  });
});

describe('the launch protocol reference', () => {
  it('describes every field of every wire type', () => {
    const undescribed = SECTIONS.flatMap((section) =>
      wireTypes(section.file, section.interfaces).flatMap((type) =>
        type.fields
          .filter((field) => !field.description && field.name !== 'phase')
          .map((field) => `${type.name}.${field.name}`),
      ),
    );
    expect(undescribed).toEqual([]);
  });
});
