import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderContext, RenderedBuild } from '../../buildpacks/index.js';
import { renderBuild } from '../../buildpacks/render.js';
import { repoScripts } from '../../buildpacks/scripts.js';
import type { RepoScript } from '../../buildpacks/scripts.js';
import type { DockerStageSpec } from '../../buildpacks/types.js';
import type { RepoFiles } from '../../environment/repo-files.js';
import { reproducibilityReport } from '../../environment/reproducibility.js';
import { readRequirements } from '../../environment/requirements.js';
import { sha256 } from '../../util/files.js';
import type { BuildPlan, BuildSource, BuildStage } from '../types.js';
import { LABELS } from './labels.js';
import { requireRuntimePython } from './python-sources.js';

/** One image of a plan: what to build it from and what to call it. */
export interface ImageBuild {
  tag: string;
  spec: DockerStageSpec;
  files: RepoFiles;
  /** postBuild and start, for a stage whose context holds the repository. */
  scripts: readonly RepoScript[];
  buildargs: Record<string, string>;
  labels: Record<string, string>;
}

/** What an image-building backend (docker, kubernetes) gives the shared planning. */
export interface ImagePlanOptions {
  /** The builder's version: part of every environment key. */
  version: string;
  /** `docker/2`, `kubernetes/1`: goes into the reproducibility report. */
  builder: string;
  render: Omit<RenderContext, 'builderVersion'>;
  baseImage: string;
  /** The base image's id or digest: part of every environment key. */
  baseId: string;
  glueFile: string;
  /** The image name of a stage: `kind` is `env` or `session`, `key` 32 hex digits. */
  tag(kind: 'env' | 'session', key: string): string;
  /** Whether an image of that name exists already (where the backend keeps images). */
  exists(tag: string): Promise<boolean>;
  /** The backend's stage for one image. */
  stage(kind: 'environment' | 'content', build: ImageBuild): BuildStage;
}

const glueHashes = new Map<string, Promise<string>>();

/**
 * The two images of a repository, as every image-building backend makes them: an
 * environment image keyed by its environment files, the base image and the builder's
 * version, and a thin content image for one commit. A commit that changes only notebooks
 * or code reuses the environment image.
 */
export async function planImages(
  source: BuildSource,
  options: ImagePlanOptions,
): Promise<BuildPlan> {
  const { files } = source;
  const rendered = renderBuild(
    files,
    { ...options.render, builderVersion: options.version },
    { repo: source.repo, ref: source.ref },
  );
  const environmentKey = await environmentKeyOf(source, rendered, options);
  const environmentTag = options.tag('env', environmentKey.slice(0, 32));
  if (!(await options.exists(environmentTag))) {
    await requireRuntimePython(
      files,
      options.render.basePython,
      options.render.packages.micromambaUrl,
    );
  }
  let glueHash = glueHashes.get(options.glueFile);
  if (!glueHash) {
    glueHash = readFile(options.glueFile, 'utf8').then(sha256);
    glueHashes.set(options.glueFile, glueHash);
  }
  const contentKey = sha256(
    JSON.stringify([
      environmentKey,
      source.repo,
      source.ref,
      rendered.content.dockerfile,
      await glueHash,
    ]),
  );
  // The Dockerfiles label repo, ref and builder version; these are for binder-cell itself.
  const common = {
    [LABELS.environmentKey]: environmentKey,
    [LABELS.buildpack]: rendered.buildpack,
  };
  return {
    report: reproducibilityReport(files, {
      builder: options.builder,
      base: `${options.baseImage} (${options.baseId.replace(/^sha256:/, '').slice(0, 12)})`,
      buildpack: rendered.buildpack,
      requirements: await readRequirements(files),
      // The Dockerfile buildpack builds the repository's Dockerfile and nothing else.
      ...(rendered.buildpack === 'dockerfile' ? { usedFiles: ['Dockerfile'] } : {}),
    }),
    stages: [
      options.stage('environment', {
        tag: environmentTag,
        spec: rendered.environment,
        files,
        scripts: [],
        buildargs: { BINDER_BASE_IMAGE: options.baseImage },
        labels: common,
      }),
      options.stage('content', {
        tag: options.tag('session', contentKey.slice(0, 32)),
        spec: rendered.content,
        files,
        scripts: rendered.content.context.kind === 'content' ? repoScripts(files) : [],
        buildargs: { BINDER_ENV_IMAGE: environmentTag },
        labels: {
          ...common,
          [LABELS.kernels]: rendered.kernels.join(','),
          ...(rendered.startScript ? { [LABELS.start]: rendered.startScript } : {}),
        },
      }),
    ],
  };
}

async function environmentKeyOf(
  source: BuildSource,
  rendered: RenderedBuild,
  options: ImagePlanOptions,
): Promise<string> {
  const { context } = rendered.environment;
  const inputs =
    context.kind === 'environment'
      ? await Promise.all(
          context.files.map((path) => readFile(join(source.files.dir, path), 'utf8')),
        )
      : [];
  return sha256(
    JSON.stringify([
      options.version,
      options.baseId,
      rendered.environment.dockerfile,
      inputs,
      // An image built from the repository's own Dockerfile depends on the whole commit.
      rendered.environmentUsesRepository ? [source.repo, source.ref] : '',
    ]),
  );
}
