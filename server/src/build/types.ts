import type { RepoFiles } from './repo-files.js';

/** What a build made: a venv folder or an image, ready for a spawner of the same backend. */
export interface BuiltImage {
  /** Backend-specific handle (venv path, image id). */
  id: string;
  /** Short name shown to people and in events. */
  name: string;
}

export interface StageInput {
  log: (line: string) => void;
  signal: AbortSignal;
  /** The image the previous stage made. */
  previous: BuiltImage | undefined;
}

/** One image of a build, reused whenever an image with its key exists. */
export interface BuildStage {
  /** Equal keys make interchangeable images; each key is built once. */
  readonly key: string;
  /** `environment` or `content`: what this stage adds. */
  readonly kind: string;
  find(): Promise<BuiltImage | undefined>;
  build(input: StageInput): Promise<BuiltImage>;
}

/** The repository a build is for. */
export interface BuildSource {
  files: RepoFiles;
  /** Spec pinned to the revision, e.g. `gh/org/repo/<sha>`. */
  repo: string;
  ref: string;
}

export interface BuildPlan {
  /** Built in order; each stage may start from the previous stage's image. */
  readonly stages: readonly BuildStage[];
  /** How repeatable the environment is; goes into the build log. */
  readonly report: readonly string[];
}

/** Plans builds for one backend; a new backend is one Builder (and one Spawner). */
export interface Builder {
  readonly backend: string;
  readonly version: string;
  /** Decides what to build; throws BuildError (422) for environments it cannot make. */
  plan(source: BuildSource): Promise<BuildPlan>;
}

/** A build step that failed because of the repository's contents (status 422). */
export class BuildError extends Error {
  override name = 'BuildError';

  constructor(
    message: string,
    readonly tail: string[] = [],
  ) {
    super(message);
  }
}
