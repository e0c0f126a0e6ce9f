import type Dockerode from 'dockerode';
import type { RenderContext } from '../../buildpacks/index.js';
import { HttpError } from '../../errors.js';
import { BackendError, buildFailed, stoppedBecause } from '../shared/backend-error.js';
import type { BuildPlan, BuildSource, BuildStage, BuiltImage, StageInput } from '../types.js';
import { buildContext } from './build-context.js';
import { imageId } from './client.js';
import { followBuild } from './follow-build.js';
import { planImages } from './image-plan.js';
import type { ImageBuild } from './image-plan.js';

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

/**
 * Builds the two images of a repository (see planImages) on the Docker engine, from the
 * engine's base image.
 */
export class DockerBuilder {
  readonly version = DOCKER_BUILDER_VERSION;

  constructor(private readonly options: DockerBuilderOptions) {}

  async plan(source: BuildSource): Promise<BuildPlan> {
    const baseId = await imageId(this.options.docker, this.options.baseImage);
    if (!baseId) {
      throw new HttpError(
        503,
        `this server's base image ${this.options.baseImage} is missing: run "binder-cell-server base-image"`,
      );
    }
    return planImages(source, {
      version: this.version,
      builder: `docker/${this.version}`,
      render: this.options.render,
      baseImage: this.options.baseImage,
      baseId,
      glueFile: this.options.glueFile,
      tag: (kind, key) => `${this.options.imagePrefix}-${kind}:${key}`,
      exists: async (tag) => (await imageId(this.options.docker, tag)) !== undefined,
      stage: (kind, build) => this.stage(kind, build),
    });
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
