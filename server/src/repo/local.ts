import { badRequest, notFound } from '../errors.js';
import type { RepoProvider, RepoRef } from './types.js';
import { validateLocalName } from './validate.js';

/** `local/<name>`: a folder on this host that the server configuration names. */
export class LocalProvider implements RepoProvider {
  readonly prefix = 'local';

  constructor(private readonly folders: Readonly<Record<string, string>>) {}

  parse(spec: string, ref: string | undefined): RepoRef {
    const name = validateLocalName(spec);
    if (ref !== undefined) {
      throw badRequest(`local repositories have no refs; drop "ref" from the request`);
    }
    const folder = Object.hasOwn(this.folders, name) ? this.folders[name] : undefined;
    if (folder === undefined) {
      throw notFound(`this server has no local repository named "${name}"`);
    }
    const repoSpec = `local/${name}`;
    return {
      provider: this.prefix,
      spec: repoSpec,
      repoUrl: repoSpec,
      resolve: () =>
        Promise.resolve({
          ref: 'local',
          persistentSpec: repoSpec,
          fetch: () => Promise.resolve(folder),
        }),
    };
  }
}
