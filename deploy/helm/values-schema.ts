import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { configJsonSchema } from '../../server/src/config.js';

/** The chart's values schema, which `helm install`, `upgrade` and `template` check values with. */
export const VALUES_SCHEMA = fileURLToPath(
  new URL('binder-cell/values.schema.json', import.meta.url),
);

/**
 * The chart's values schema with its `definitions.serverConfig` made from the server's own
 * configuration schema (`configJsonSchema`), so Helm refuses the `config` values the server
 * would refuse (a malformed quantity, CIDR or name, a null where a value belongs) instead of
 * the server crash-looping on them. The rest of the file (the chart's own values, and what
 * the chart requires of `config`) is written by hand.
 */
export async function valuesSchema(): Promise<Record<string, unknown>> {
  const schema = JSON.parse(await readFile(VALUES_SCHEMA, 'utf8')) as {
    definitions: Record<string, unknown>;
  };
  const serverConfig = configJsonSchema();
  // A definition inside the chart's schema, whose own `$schema` says the draft.
  delete serverConfig.$schema;
  schema.definitions.serverConfig = {
    description:
      'Generated from the server configuration schema (npm run chart:schema): do not edit.',
    ...serverConfig,
  };
  return schema;
}

/** Writes `valuesSchema()` to the chart, formatted as the repository's other JSON is. */
export async function writeValuesSchema(): Promise<void> {
  const options = await resolveConfig(VALUES_SCHEMA);
  const text = await format(JSON.stringify(await valuesSchema()), {
    ...options,
    filepath: VALUES_SCHEMA,
  });
  await writeFile(VALUES_SCHEMA, text);
}
