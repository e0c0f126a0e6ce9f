import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { RenderContext, RenderedBuild } from '../../buildpacks/index.js';
import { renderBuild } from '../../buildpacks/render.js';
import { repoScripts } from '../../buildpacks/scripts.js';
import type { RepoScript } from '../../buildpacks/scripts.js';
import type { DockerStageSpec } from '../../buildpacks/types.js';
import type { RepoFiles } from '../../environment/repo-files.js';
import { reproducibilityReport } from '../../environment/reproducibility.js';
import { readRequirements } from '../../environment/requirements.js';
import { HttpError } from '../../errors.js';
import { sha256 } from '../../util/files.js';
import { BackendError, buildFailed, stoppedBecause } from '../shared/backend-error.js';
import type { BuildPlan, BuildSource, BuildStage, BuiltImage, StageInput } from '../types.js';
import { buildContext } from './build-context.js';
import { imageId } from './client.js';
import { followBuild } from './follow-build.js';
import { LABELS } from './labels.js';
import { requireRuntimePython } from './python-sources.js';

/** Bumped whenever a change here should rebuild every image. */
export const DOCKER_BUILDER_VERSION = '2';

export interface DockerBuilderOptions {
  docker: Dockerode;
  baseImage: string;
  /** Image names start with it: `<prefix>-env:<key>`, `<prefix>-session:<key>`. */
  imagePrefix: string;
  /** Docker network builds run in (`host` reaches package indexes on 127.0.0.1). */
  buildNetwork: string;
  render: Omit<RenderContext, 'builderVersion'>;
  glueFile: string;
}

interface ImageBuild {
  tag: string;
  spec: DockerStageSpec;
  files: RepoFiles;
  /** postBuild and start, for a stage whose context holds the repository. */
  scripts: readonly RepoScript[];
  buildargs: Record<string, string>;
  labels: Record<string, string>;
}

/**
 * Builds two images per repository: an environment image keyed by its environment files,
 * the base image and this builder's version, and a thin content image for one commit.
 * A commit that changes only notebooks or code reuses the environment image.
 */
export class DockerBuilder {
  readonly version = DOCKER_BUILDER_VERSION;
  private glueHash: Promise<string> | undefined;

  constructor(private readonly options: DockerBuilderOptions) {}

  async plan(source: BuildSource): Promise<BuildPlan> {
    const { files } = source;
    const rendered = renderBuild(
      files,
      { ...this.options.render, builderVersion: this.version },
      { repo: source.repo, ref: source.ref },
    );
    const baseId = await imageId(this.options.docker, this.options.baseImage);
    if (!baseId) {
      throw new HttpError(
        503,
        `this server's base image ${this.options.baseImage} is missing: run "binder-cell-server base-image"`,
      );
    }
    const environmentKey = await this.environmentKey(source, rendered, baseId);
    const environmentTag = `${this.options.imagePrefix}-env:${environmentKey.slice(0, 32)}`;
    if (!(await imageId(this.options.docker, environmentTag))) {
      await requireRuntimePython(
        files,
        this.options.render.basePython,
        this.options.render.packages.micromambaUrl,
      );
    }
    this.glueHash ??= readFile(this.options.glueFile, 'utf8').then(sha256);
    const contentKey = sha256(
      JSON.stringify([
        environmentKey,
        source.repo,
        source.ref,
        rendered.content.dockerfile,
        await this.glueHash,
      ]),
    );
    const contentTag = `${this.options.imagePrefix}-session:${contentKey.slice(0, 32)}`;
    // The Dockerfiles label repo, ref and builder version; these are for binder-cell itself.
    const common = {
      [LABELS.environmentKey]: environmentKey,
      [LABELS.buildpack]: rendered.buildpack,
    };
    return {
      report: reproducibilityReport(files, {
        builder: `docker/${this.version}`,
        base: `${this.options.baseImage} (${baseId.slice(7, 19)})`,
        buildpack: rendered.buildpack,
        requirements: await readRequirements(files),
        // The Dockerfile buildpack builds the repository's Dockerfile and nothing else.
        ...(rendered.buildpack === 'dockerfile' ? { usedFiles: ['Dockerfile'] } : {}),
      }),
      stages: [
        this.stage('environment', {
          tag: environmentTag,
          spec: rendered.environment,
          files,
          scripts: [],
          buildargs: { BINDER_BASE_IMAGE: this.options.baseImage },
          labels: common,
        }),
        this.stage('content', {
          tag: contentTag,
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

  private async environmentKey(
    source: BuildSource,
    rendered: RenderedBuild,
    baseId: string,
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
        this.version,
        baseId,
        rendered.environment.dockerfile,
        inputs,
        // An image built from the repository's own Dockerfile depends on the whole commit.
        rendered.environmentUsesRepository ? [source.repo, source.ref] : '',
      ]),
    );
  }

  private stage(kind: string, build: ImageBuild): BuildStage {
    return {
      key: build.tag,
      kind,
      noun: `${kind} image`,
      find: async () => {
        const id = await imageId(this.options.docker, build.tag);
        return id ? { id, name: build.tag } : undefined;
      },
      build: (input) => this.buildImage(kind, build, input),
    };
  }

  private async buildImage(
    kind: string,
    build: ImageBuild,
    input: StageInput,
  ): Promise<BuiltImage> {
    const { docker } = this.options;
    input.log(`Building the ${kind} image ${build.tag}`);
    for (const note of build.scripts.flatMap((script) => script.notes)) input.log(note);
    const context = await buildContext({
      context: build.spec.context,
      dockerfile: build.spec.dockerfile,
      repoDir: build.files.dir,
      ignoreFiles: build.files.ignoreFiles,
      scripts: build.scripts,
      glueFile: this.options.glueFile,
    });
    try {
      const stream = await docker.buildImage(context, {
        t: build.tag,
        dockerfile:
          build.spec.context.kind === 'repository' ? build.spec.context.dockerfile : 'Dockerfile',
        buildargs: build.buildargs,
        labels: build.labels,
        networkmode: this.options.buildNetwork,
        rm: true,
        forcerm: true,
        abortSignal: input.signal,
      });
      await followBuild(docker, stream, input.log);
    } catch (error) {
      if (input.signal.aborted) {
        throw buildFailed(`the ${kind} image ${stoppedBecause(input.signal)}`);
      }
      if (error instanceof BackendError)
        throw buildFailed(`the ${kind} image failed: ${error.message}`, error.tail);
      throw error;
    }
    const id = await imageId(docker, build.tag);
    if (!id) throw buildFailed(`the ${kind} image ${build.tag} was not created`);
    return { id, name: build.tag };
  }
}
