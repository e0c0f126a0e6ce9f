import type { EnvironmentFile, RepoFiles } from './repo-files.js';
import { repoPath } from './repo-files.js';
import type { RequirementsFile, RequirementsGraph } from './requirements.js';
import { readRuntime } from './runtime.js';

export interface ReportContext {
  /** e.g. `docker/1`. */
  builder: string;
  /** The base the environment starts from (image and id, or a Python version for venvs). */
  base: string;
  buildpack: string;
  /** requirements.txt with what it includes (readRequirements); without it, the file alone. */
  requirements?: RequirementsGraph | undefined;
  /**
   * The environment files the builder acts on, when not all of them: the report describes
   * what it builds, not what the repository holds.
   */
  usedFiles?: readonly EnvironmentFile[];
  /** Packages the builder installs itself at their newest versions (e.g. jupyter_server). */
  builderPackages?: readonly string[];
}

/**
 * How repeatable the environment is: which files were used, what they leave unpinned,
 * and what the builder adds, so an author can see what a rebuild may change.
 */
export function reproducibilityReport(files: RepoFiles, context: ReportContext): string[] {
  const used = usedOnly(files, context.usedFiles);
  const head = [
    'Reproducibility report',
    `  builder: ${context.builder}; base: ${context.base}`,
    `  buildpack: ${context.buildpack}`,
  ];
  if (used.files.has('Dockerfile')) {
    return [
      ...head,
      `  environment files: ${repoPath(used, 'Dockerfile')} (the repository's own image)`,
      "  verdict: not judged: binder-cell does not analyse a Dockerfile's contents; a rebuild " +
        'makes the same environment only if it pins its base image (by digest) and everything it installs',
    ];
  }
  const requirements = used.files.has('requirements.txt')
    ? (context.requirements?.files ?? topRequirements(used))
    : [];
  const usedPaths = [
    ...[...used.files.keys()].map((name) => repoPath(used, name)),
    ...requirements.slice(1).map(describeFile),
  ];
  const builderPackages = context.builderPackages ?? [];
  const unpinned = [
    ...unpinnedRequirementFiles(requirements, context.requirements),
    ...unpinnedItems(used),
    ...(builderPackages.length > 0
      ? [`${builderPackages.join(', ')} (installed by the builder at their newest versions)`]
      : []),
  ];
  const packages = (requirements.length > 0 ? (context.requirements?.localPackages ?? []) : []).map(
    (pkg) => `${pkg.path} (from ${pkg.from})`,
  );
  const none =
    builderPackages.length > 0
      ? `none (the environment holds only ${builderPackages.join(' and ')})`
      : 'none (a default environment)';
  return [
    ...head,
    `  environment files: ${usedPaths.length > 0 ? usedPaths.join(', ') : none}`,
    ...(packages.length > 0
      ? [`  repository packages: ${packages.join(', ')}, installed as this commit has them`]
      : []),
    ...unpinned.map((item) => `  unpinned: ${item}`),
    unpinned.length === 0
      ? '  verdict: every version is pinned; a rebuild makes the same environment'
      : `  verdict: ${unpinned.length} unpinned item(s); a rebuild may install newer versions`,
  ];
}

/** `files` with only the environment files in `used` (all of them when `used` is undefined). */
function usedOnly(files: RepoFiles, used: readonly EnvironmentFile[] | undefined): RepoFiles {
  if (!used) return files;
  return { ...files, files: new Map([...files.files].filter(([name]) => used.includes(name))) };
}

function unpinnedItems(files: RepoFiles): string[] {
  const items: string[] = [];
  const text = (name: EnvironmentFile) => files.files.get(name);
  try {
    readRuntime(files);
  } catch (error) {
    items.push((error as Error).message);
  }
  const apt = text('apt.txt');
  if (apt !== undefined) {
    const loose = contentLines(apt).filter((line) => !line.includes('='));
    if (loose.length > 0) items.push(`apt.txt: ${loose.join(', ')} (no =version)`);
  }
  const conda = text('environment.yml') ?? text('environment.yaml');
  if (conda !== undefined) {
    const loose = unpinnedCondaDependencies(conda);
    if (loose.length > 0) items.push(`environment.yml: ${loose.join(', ')} (no =version)`);
  }
  if (files.files.has('Pipfile') && !files.files.has('Pipfile.lock')) {
    items.push('Pipfile without Pipfile.lock');
  }
  if (files.files.has('Project.toml') && !files.files.has('Manifest.toml')) {
    items.push('Project.toml without Manifest.toml');
  }
  if (
    files.files.has('install.R') &&
    !/^r-.*\d{4}-\d{2}-\d{2}$/.test(text('runtime.txt')?.trim() ?? '')
  ) {
    items.push('install.R without a snapshot date in runtime.txt (r-<YYYY-MM-DD>)');
  }
  if (!files.files.has('runtime.txt') && !files.files.has('Dockerfile') && conda === undefined) {
    items.push("no runtime.txt: the language version is the builder's default");
  }
  return items;
}

function topRequirements(files: RepoFiles): RequirementsFile[] {
  const content = files.files.get('requirements.txt');
  if (content === undefined) return [];
  return [
    {
      path: repoPath(files, 'requirements.txt'),
      content,
      kind: 'requirements',
      includedBy: undefined,
    },
  ];
}

function describeFile(file: RequirementsFile): string {
  const how = file.kind === 'constraints' ? 'constraints for' : 'included by';
  return `${file.path} (${how} ${file.includedBy ?? 'pip'})`;
}

/**
 * Unpinned requirements of each requirements file (top and included), leaving out those a
 * constraints file pins, and includes read from the web.
 */
function unpinnedRequirementFiles(
  requirements: readonly RequirementsFile[],
  graph: RequirementsGraph | undefined,
): string[] {
  const constrained = new Set(
    requirements
      .filter((file) => file.kind === 'constraints')
      .flatMap((file) => contentLines(file.content))
      .filter((line) => /===?\s*[\w.*+!-]+/.test(line))
      .map((line) => packageName(line.split(/[\s;<>=!~[]/)[0] ?? line)),
  );
  const items = requirements
    .filter((file) => file.kind === 'requirements')
    .flatMap((file) => {
      const loose = unpinnedRequirements(file.content).filter(
        (name) => !constrained.has(packageName(name)),
      );
      const where = file.includedBy ? `${file.path} (included by ${file.includedBy})` : file.path;
      return loose.length > 0 ? [`${where}: ${loose.join(', ')} (no ==version)`] : [];
    });
  for (const include of graph?.remoteIncludes ?? []) {
    items.push(`${include} (read from the web at build time)`);
  }
  return items;
}

/** A package name as pip compares them (PEP 503). */
const packageName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

function contentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** Requirement lines without an exact version (options and URLs are left out). */
export function unpinnedRequirements(text: string): string[] {
  return contentLines(text)
    .filter((line) => !line.startsWith('-') && !line.includes('://') && !/^[./]/.test(line))
    .filter((line) => !/===?\s*[\w.*+!-]+/.test(line))
    .map((line) => line.split(/[\s;<>=!~[]/)[0] ?? line);
}

function unpinnedCondaDependencies(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^\s*-\s+([^\s#:]+)\s*(?:#.*)?$/.exec(line)?.[1])
    .filter((spec): spec is string => spec !== undefined && spec !== 'pip')
    .filter((spec) => !/[=@]/.test(spec))
    .map((spec) => spec.split(/[<>]/)[0] ?? spec);
}
