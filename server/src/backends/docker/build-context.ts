import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import type { Ignore } from '@balena/dockerignore';
import tarFs from 'tar-fs';
import tarStream from 'tar-stream';
import type { StageContext } from '../../buildpacks/types.js';

// A CommonJS module whose typings declare an ES default export; require gives the real function.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

/** A tar stream Docker reads as a build context (tar-stream's streams pipe like Node's). */
export type BuildContextStream = NodeJS.ReadableStream;

export interface ContextInput {
  context: StageContext;
  /** The Dockerfile of the stage (ignored for `repository`: the repository's own is used). */
  dockerfile: string;
  repoDir: string;
  /** The root .dockerignore of the repository. */
  dockerignore: string | undefined;
  /** The session glue module. */
  glueFile: string;
}

/**
 * The tar stream sent to Docker as a stage's build context. Its layout is binder-cell's
 * own (`env/`, `repo/`, `glue/`), except for a repository built with its own Dockerfile.
 */
export async function buildContext(input: ContextInput): Promise<BuildContextStream> {
  const { context } = input;
  switch (context.kind) {
    case 'environment': {
      const pack = tarStream.pack();
      addText(pack, 'Dockerfile', input.dockerfile);
      for (const path of context.files) {
        const file = join(input.repoDir, path);
        const { mode } = await stat(file);
        pack.entry({ name: `env/${basename(path)}`, mode }, await readFile(file));
      }
      pack.finalize();
      return asStream(pack);
    }
    case 'glue': {
      const pack = tarStream.pack();
      addText(pack, 'Dockerfile', input.dockerfile);
      pack.entry(
        { name: 'glue/binder_cell_jupyter.py', mode: 0o644 },
        await readFile(input.glueFile),
      );
      pack.finalize();
      return asStream(pack);
    }
    case 'repository':
      return asStream(tarFs.pack(input.repoDir, { ignore: ignoredBy(input) }));
    case 'content': {
      const glue = await readFile(input.glueFile);
      return asStream(
        tarFs.pack(input.repoDir, {
          ignore: ignoredBy(input),
          map: (header) => ({ ...header, name: `repo/${header.name}` }),
          finalize: false,
          finish: (pack) => {
            addText(pack, 'Dockerfile', input.dockerfile);
            pack.entry({ name: 'glue/binder_cell_jupyter.py', mode: 0o644 }, glue);
            pack.finalize();
          },
        }),
      );
    }
  }
}

function asStream(pack: tarStream.Pack): BuildContextStream {
  return pack as unknown as BuildContextStream;
}

function addText(pack: tarStream.Pack, name: string, text: string): void {
  pack.entry({ name, mode: 0o644 }, text);
}

/** Paths the repository's .dockerignore excludes, and its .git folder. */
function ignoredBy(input: ContextInput): (path: string) => boolean {
  const rules = ignore().add(['.git', ...(input.dockerignore?.split('\n') ?? [])]);
  return (path) => {
    const name = relative(input.repoDir, path);
    return name !== '' && rules.ignores(name);
  };
}
