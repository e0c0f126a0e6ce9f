import { readFileSync } from 'node:fs';
import ts from 'typescript';
import {
  BINDERHUB_PHASES,
  FAILURE_STATUSES,
  LAUNCH_PHASES,
} from '../../packages/launch-protocol/src/index.js';
import { code, generatedNotice, table } from './markdown.js';

const SOURCES = new URL('../../packages/launch-protocol/src/', import.meta.url);

/** A field of a wire type, as its interface declares it. */
export interface WireField {
  name: string;
  type: string;
  optional: boolean;
  description: string;
}

/** An interface of the launch protocol: its fields and its JSDoc. */
export interface WireType {
  name: string;
  description: string;
  fields: WireField[];
}

/** What each page section documents: the interfaces of one source file, in order. */
export const SECTIONS: readonly { title: string; file: string; interfaces: readonly string[] }[] = [
  {
    title: 'Launch requests',
    file: 'request.ts',
    interfaces: ['RepoLaunchRequest', 'ImageLaunchRequest'],
  },
  {
    title: 'Launch events',
    file: 'events.ts',
    interfaces: ['ProgressEvent', 'ReadyEvent', 'FailedEvent'],
  },
  { title: 'Sessions and health', file: 'session.ts', interfaces: ['SessionInfo', 'HealthInfo'] },
  {
    title: 'BinderHub events (`GET /build`)',
    file: 'binderhub.ts',
    interfaces: ['BinderHubEvent'],
  },
];

function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\{@link (\S+?)\}/g, (_, name: string) => code(name));
}

/** The interfaces named in `names`, read from a launch-protocol source file. */
export function wireTypes(file: string, names: readonly string[]): WireType[] {
  const text = readFileSync(new URL(file, SOURCES), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found = new Map<string, WireType>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !names.includes(node.name.text)) return;
    const fields = node.members.filter(ts.isPropertySignature).map((member) => ({
      name: member.name.getText(source),
      type: member.type?.getText(source).replace(/\s+/g, ' ') ?? 'unknown',
      optional: member.questionToken !== undefined,
      description: docOf(member),
    }));
    found.set(node.name.text, { name: node.name.text, description: docOf(node), fields });
  });
  return names.map((name) => {
    const type = found.get(name);
    if (!type) throw new Error(`${file} declares no interface ${name}`);
    return type;
  });
}

function typeSection(type: WireType): string {
  return [
    `### ${code(type.name)}`,
    type.description,
    table(
      ['field', 'type', 'required', 'meaning'],
      type.fields.map((field) => [
        code(field.name),
        code(field.type),
        field.optional ? 'no' : 'yes',
        field.description,
      ]),
    ),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** docs/reference/launch-protocol.md: the launch API's wire types, phases and statuses. */
export function launchProtocolPage(): string {
  const list = (values: readonly (string | number)[]) =>
    values.map((v) => code(String(v))).join(', ');
  const parts = [
    generatedNotice('packages/launch-protocol/src'),
    '# Launch protocol reference',
    'The wire types of the launch API, as the SDK and the server share them. ' +
      '[The launch protocol](../launch-protocol.md) explains the endpoints, the stream and ' +
      'how a broken stream resumes.',
    `Launch phases, in order: ${list(LAUNCH_PHASES)}. A launch ends in \`ready\` or \`failed\`.`,
    `Statuses a \`failed\` event may carry: ${list(FAILURE_STATUSES)}.`,
    `BinderHub phases (\`GET /build\`): ${list(BINDERHUB_PHASES)}.`,
    ...SECTIONS.flatMap((section) => [
      `## ${section.title}`,
      `From \`packages/launch-protocol/src/${section.file}\`.`,
      ...wireTypes(section.file, section.interfaces).map(typeSection),
    ]),
  ];
  return `${parts.join('\n\n')}\n`;
}
