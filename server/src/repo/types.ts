/** What a launch may add to a spec: a ref given separately and the user's own token. */
export interface RefOptions {
  ref?: string;
  /** Reads a private repository; used for this fetch only, never stored. */
  repoToken?: string;
}

/** Turns the part of a spec after `<prefix>/` into a reference to one repository. */
export interface RepoProvider {
  readonly prefix: string;
  /** Validates the spec; throws HttpError 400/403/404 for bad or disallowed input. */
  parse(spec: string, options: RefOptions): RepoRef;
}

/** A repository and an unresolved ref, e.g. a branch name. */
export interface RepoRef {
  readonly provider: string;
  /** Canonical spec as requested, e.g. `gh/org/repo/main`. */
  readonly spec: string;
  /** Where the repository lives, for people and labels (never carries credentials). */
  readonly repoUrl: string;
  /** Resolves the ref to an immutable revision; throws HttpError 404 when it does not exist. */
  resolve(signal: AbortSignal): Promise<ResolvedRepo>;
}

export interface ResolvedRepo {
  /** The resolved revision: a full commit SHA, or `local` for a served folder. */
  readonly ref: string;
  /** The spec pinned to the resolved revision. */
  readonly persistentSpec: string;
  /** A page where people can browse the repository at this revision. */
  readonly refUrl: string;
  /** Fetches the revision's files and returns a folder holding them; the folder must not be modified. */
  fetch(signal: AbortSignal, log: (line: string) => void): Promise<string>;
}
