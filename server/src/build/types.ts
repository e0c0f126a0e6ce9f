import type { Environment } from './environment.js';

/** What a builder made: a venv folder or an image, ready for a spawner of the same backend. */
export interface BuiltImage {
  /** Backend-specific handle (venv path, image id). */
  id: string;
  /** Short name shown to people and in events. */
  name: string;
}

export interface BuildInput {
  environment: Environment;
  /** Folder with the repository's files. */
  repoDir: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** Builds environments, one per key; builds with equal keys are interchangeable. */
export interface Builder {
  readonly backend: string;
  key(environment: Environment): Promise<string>;
  /** A finished build for the key, if one exists. */
  find(key: string): Promise<BuiltImage | undefined>;
  build(key: string, input: BuildInput): Promise<BuiltImage>;
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
