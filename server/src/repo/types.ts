import type { RepoProviderName, RepoSpec } from '@binder-cell/launch-protocol';

/** What a launch may add to a spec: a ref given separately and the user's own token. */
export interface RefOptions {
  ref?: string;
  /** Reads a private repository; used for this fetch only, never stored. */
  repoToken?: string;
}

/** The parsed spec of one provider (launch-protocol's grammar). */
export type SpecOf<P extends RepoProviderName> = Extract<RepoSpec, { provider: P }>;

/** Turns a parsed spec of its provider into a reference to one repository. */
export interface RepoProvider<P extends RepoProviderName> {
  /** Applies this server's policy to the spec; throws HttpError 400/403/404. */
  open(spec: SpecOf<P>, options: RefOptions): RepoRef;
}

/** A repository and an unresolved ref, e.g. a branch name. */
export interface RepoRef {
  /** Canonical spec as requested, e.g. `gh/org/repo/main`. */
  readonly spec: string;
  /** Where the repository lives, for people and labels (never carries credentials). */
  readonly repoUrl: string;
  /** Resolves the ref to an immutable revision; throws HttpError 404 when it does not exist. */
  resolve(signal: AbortSignal): Promise<ResolvedRepo>;
}

export interface ResolvedRepo {
  /** The resolved revision: a full commit SHA, or `local-<hash>` for a served folder. */
  readonly ref: string;
  /** The spec pinned to the resolved revision. */
  readonly persistentSpec: string;
  /** A page where people can browse the repository at this revision. */
  readonly refUrl: string;
  /** Fetches the revision's files and returns a folder holding them; the folder must not be modified. */
  fetch(signal: AbortSignal, log: (line: string) => void): Promise<string>;
}
