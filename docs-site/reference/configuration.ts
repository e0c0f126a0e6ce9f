import { configJsonSchema } from '../../server/src/config.js';
import { code, generatedNotice, table } from './markdown.js';

/** A JSON Schema node as `z.toJSONSchema` writes the configuration's parts. */
export interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  /** A key of several kinds (a zod union). */
  anyOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
}

/** One configuration key: its dotted path (`[]` for a list's items), as the reference lists it. */
export interface ConfigKey {
  path: string;
  schema: SchemaNode;
  /** Inside a list's items: whether the key must be given. */
  required: boolean;
}

/**
 * Command-line options of `binder-cell-server` that set a configuration key (the
 * `--allow-file-urls` style of server/src/cli/options.ts), and environment variables that do.
 */
export const COMMAND_LINE: Readonly<Record<string, { flag?: string; env?: string }>> = {
  host: { flag: '--host' },
  port: { flag: '--port', env: 'PORT' },
  publicUrl: { flag: '--public-url' },
  dataDir: { flag: '--data-dir', env: 'XDG_CACHE_HOME' },
  backend: { flag: '--backend' },
  examplesDir: { flag: '--examples' },
  docsDir: { flag: '--docs' },
  logLevel: { flag: '--log-level' },
  'repos.allowFileUrls': { flag: '--allow-file-urls' },
  'docker.socketPath': { env: 'DOCKER_HOST' },
  'kubernetes.kubeconfig': { env: 'KUBECONFIG' },
};

/** Every key of the configuration, depth first, in the schema's order. */
export function configKeys(schema = configJsonSchema() as SchemaNode): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const walk = (node: SchemaNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      keys.push({ path, schema: child, required: node.required?.includes(name) ?? false });
      if (child.properties) walk(child, path);
      if (child.items?.properties) walk(child.items, `${path}[]`);
    }
  };
  walk(schema, '');
  return keys;
}

function typeOf(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' or ');
  if (node.type === 'array') return `list of ${node.items ? plural(typeOf(node.items)) : 'values'}`;
  if (node.type === 'object' && node.additionalProperties) {
    const value = node.additionalProperties === true ? 'value' : typeOf(node.additionalProperties);
    return `object: name → ${value}`;
  }
  const base = node.format === 'uri' ? 'URL' : (node.type ?? 'any');
  // zod's `.int()` states the safe-integer range as minimum and maximum: that is what an
  // integer is, not a limit of the key, so only bounds inside it are printed.
  const limits = [
    node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? `≥ ${node.minimum}` : '',
    node.exclusiveMinimum === 0 ? '> 0' : '',
    node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${node.maximum}` : '',
    node.minLength === 1 ? 'non-empty' : '',
    node.minLength && node.minLength > 1 ? `at least ${node.minLength} characters` : '',
  ].filter(Boolean);
  return limits.length ? `${base} ${limits.join(', ')}` : base;
}

function plural(type: string): string {
  return type
    .split(' or ')
    .map((one) =>
      /^(string|number|integer|boolean|object|URL)\b/.test(one)
        ? one.replace(/^(\w+)/, '$1s')
        : one,
    )
    .join(' or ');
}

function defaultOf(key: ConfigKey): string {
  const value = key.schema.default;
  if (value === undefined) return key.required ? 'required' : '';
  if (key.schema.type === 'object' && key.schema.properties) return '';
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

function sectionTable(keys: readonly ConfigKey[]): string {
  return table(
    ['key', 'type', 'default', 'flag / variable', 'meaning'],
    keys
      .filter((key) => key.schema.description || !key.schema.properties)
      .map((key) => {
        const { flag, env } = COMMAND_LINE[key.path] ?? {};
        const options = [flag && code(flag), env && code(env)].filter(Boolean).join(', ');
        return [
          code(key.path),
          typeOf(key.schema),
          defaultOf(key),
          options,
          key.schema.description ?? '',
        ];
      }),
  );
}

/** docs/reference/configuration.md: every key of the configuration file. */
export function configurationPage(): string {
  const keys = configKeys();
  const isSection = (key: ConfigKey) =>
    !/[.[]/.test(key.path) && (key.schema.properties ?? key.schema.items?.properties);
  const topLevel = keys.filter((key) => !/[.[]/.test(key.path) && !isSection(key));
  const sections = keys.filter(isSection);
  const parts = [
    generatedNotice('the zod schemas of server/src/config.ts and its sections'),
    '# Configuration reference',
    "Every key of the server's configuration file (`binder-cell-server --config file.json`), " +
      'with its type, default, the command-line option or environment variable that sets it, ' +
      "and what it does. All keys are optional; relative paths are taken from the file's " +
      'folder. A command-line option wins over the file; `PORT` is read when `--port` is not ' +
      'given. [Running the launch server](../server.md#configuration-file) shows a whole file ' +
      'and explains the sections.',
    '## Top level',
    sectionTable(topLevel),
    ...sections.flatMap((section) => [
      `## ${code(section.path)}`,
      section.schema.description ?? '',
      sectionTable(
        keys.filter(
          (key) =>
            key.path.startsWith(`${section.path}.`) || key.path.startsWith(`${section.path}[].`),
        ),
      ),
    ]),
  ];
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}
