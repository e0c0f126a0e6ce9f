import type { PipSources } from '../backends/shared/pip.js';
import type { RepoFiles } from '../environment/repo-files.js';

/** Where builds get packages; every source is configurable so builds work without the internet. */
export interface PackageSources extends PipSources {
  /** Debian mirror for apt inside images; the base image's own sources when unset. */
  aptMirror?: string;
  /** Conda channel for environment.yml (and Python versions other than the base's). */
  condaChannel: string;
  micromambaUrl: string;
  /** CRAN mirror for install.R; `{date}` is replaced by runtime.txt's snapshot date. */
  cranMirror: string;
  /** Julia download; `{version}` and `{minor}` are replaced. */
  juliaUrl: string;
  juliaVersion: string;
}

/** The revision an image is built from, named in its labels. */
export interface RenderSource {
  repo: string;
  ref: string;
}

export interface RenderContext {
  builderVersion: string;
  /** Debian release of the base image, e.g. `bookworm`. */
  debianSuite: string;
  /** Python of that release (bookworm: 3.11). */
  basePython: string;
  packages: PackageSources;
}

/**
 * What a stage's build context holds:
 * - `environment`: only these repository files (as `env/<name>`), so other changes do not matter;
 * - `content`: the whole repository (as `repo/`, minus .dockerignore) and the session glue (as `glue/`);
 * - `repository`: the repository as it is, for its own Dockerfile;
 * - `glue`: only the session glue.
 */
export type StageContext =
  | { kind: 'environment'; files: readonly string[] }
  | { kind: 'content' }
  | { kind: 'repository'; dockerfile: string }
  | { kind: 'glue' };

export interface DockerStageSpec {
  dockerfile: string;
  context: StageContext;
}

export interface RenderedBuild {
  buildpack: string;
  /** The environment image, shared by every commit with the same environment files. */
  environment: DockerStageSpec;
  /** The layer for one commit: built `FROM` the environment image (build arg BINDER_ENV_IMAGE). */
  content: DockerStageSpec;
  /** True when the environment depends on the whole repository (its own Dockerfile). */
  environmentUsesRepository: boolean;
  /** Kernels the image provides. */
  kernels: string[];
  /**
   * The start script's absolute path in the content image, which wraps the session's
   * command; undefined without one, and for the repository's own Dockerfile (its
   * ENTRYPOINT is its own business, as in repo2docker).
   */
  startScript: string | undefined;
}

/** One way of turning a repository into images; the first whose `detect` matches wins. */
export interface BuildPack {
  readonly name: string;
  detect(files: RepoFiles): boolean;
  render(files: RepoFiles, context: RenderContext, source: RenderSource): RenderedBuild;
}
