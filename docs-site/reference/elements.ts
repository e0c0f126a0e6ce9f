import { readFile } from 'node:fs/promises';
import { create, ts } from '@custom-elements-manifest/analyzer';
import type { ClassDeclaration, CustomElement, Package } from 'custom-elements-manifest/schema.js';

/** A class that defines a custom element, as the analyzer writes it (schema 1.0 types the two apart). */
type CustomElementDeclaration = ClassDeclaration & CustomElement;
import { code, generatedNotice, table } from './markdown.js';

const COMPONENTS = new URL('../../packages/sdk/src/components/', import.meta.url);
/** Each element's class and the module that registers its tag. */
const ELEMENTS = ['binder-cell', 'binder-config', 'binder-controls'] as const;

/** The custom-elements manifest of the SDK's elements, read from their JSDoc and code. */
export async function elementsManifest(): Promise<Package> {
  const files = ELEMENTS.flatMap((tag) => [`${tag}/${tag}.component.ts`, `${tag}/${tag}.ts`]);
  const modules = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(new URL(file, COMPONENTS), 'utf8');
      return ts.createSourceFile(`src/components/${file}`, text, ts.ScriptTarget.ES2022, true);
    }),
  );
  return create({ modules, plugins: [], context: { dev: false } });
}

/** The declaration of each tag, in the order of `ELEMENTS`. */
export function elementDeclarations(manifest: Package): CustomElementDeclaration[] {
  const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
  return ELEMENTS.map((tag) => {
    const found = declarations.find(
      (declaration): declaration is CustomElementDeclaration =>
        'tagName' in declaration && declaration.tagName === tag,
    );
    if (!found) throw new Error(`no custom element declaration for <${tag}>`);
    return found;
  });
}

/** A JSDoc text as the analyzer reads it, without the `*` of a blank line that ended it. */
function text(description: string | undefined): string {
  return (description ?? '').replace(/\s*\*\s*$/, '');
}

function publicMembers(element: CustomElementDeclaration): string[][] {
  return (element.members ?? [])
    .filter((member) => !member.privacy && !member.static && member.description)
    .map((member) => [
      code(member.kind === 'method' ? `${member.name}()` : member.name),
      text(member.description),
    ]);
}

function elementSection(element: CustomElementDeclaration): string {
  const attributes = element.attributes ?? [];
  const parts = [
    `## ${code(`<${element.tagName ?? ''}>`)}`,
    element.summary ?? '',
    '### Attributes',
    table(
      ['attribute', 'meaning'],
      attributes.map((attribute) => [code(attribute.name), text(attribute.description)]),
    ),
  ];
  const members = publicMembers(element);
  if (members.length)
    parts.push('### Properties and methods', table(['member', 'meaning'], members));
  if (element.events?.length) {
    parts.push(
      '### Events',
      table(
        ['event', 'when'],
        element.events.map((event) => [code(event.name), text(event.description)]),
      ),
    );
  }
  if (element.slots?.length) {
    parts.push(
      '### Slots',
      table(
        ['slot', 'holds'],
        element.slots.map((slot) => [code(slot.name), text(slot.description)]),
      ),
    );
  }
  if (element.cssParts?.length) {
    parts.push(
      '### CSS parts',
      table(
        ['part', 'what'],
        element.cssParts.map((part) => [code(part.name), text(part.description)]),
      ),
    );
  }
  if (element.cssProperties?.length) {
    parts.push(
      '### CSS custom properties',
      table(
        ['property', 'for'],
        element.cssProperties.map((property) => [code(property.name), text(property.description)]),
      ),
    );
  }
  return parts.filter(Boolean).join('\n\n');
}

/** docs/reference/elements.md: every attribute, member, event, slot and part of the elements. */
export async function elementsPage(): Promise<string> {
  const elements = elementDeclarations(await elementsManifest());
  const parts = [
    generatedNotice('the JSDoc of packages/sdk/src/components'),
    '# Elements reference',
    'The attributes, properties, events, slots, CSS parts and CSS custom properties of the ' +
      "SDK's three elements. A cell's own attributes override its `<binder-config>`'s; see " +
      '[Writing pages](../sdk.md#settings) for how the settings combine, and ' +
      '[Theming](../theming.md) for how to use the parts and properties.',
    ...elements.map(elementSection),
  ];
  return `${parts.join('\n\n')}\n`;
}
