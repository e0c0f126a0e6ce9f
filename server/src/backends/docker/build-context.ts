import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import type { Ignore } from '@balena/dockerignore';
import tarFs from 'tar-fs';
import tarStream from 'tar-stream';
import type { RepoScript } from '../../buildpacks/scripts.js';
import type { StageContext } from '../../buildpacks/types.js';
import type { IgnoreFile } from '../../environment/repo-files.js';

// A CommonJS module whose typings declare an ES default export; require gives the real function.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

/** A tar stream Docker reads as a build context (tar-stream's streams pipe like Node's). */
export type BuildContextStream = NodeJS.ReadableStream;

export interface ContextInput {
  context: StageContext;
  /** The Dockerfile of the stage (ignored for `repository`: the repository's own is used). */
  dockerfile: string;
  repoDir: string;
  /** The repository's ignore files, whose rules apply in order (see `readIgnoreFiles`). */
  ignoreFiles: readonly IgnoreFile[];
  /**
   * postBuild and start as the content image gets them (LF line endings, executable),
   * whatever the ignore files say: the build and the session run them.
   */
  scripts: readonly RepoScript[];
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
      const scripts = new Set(input.scripts.map((script) => script.path));
      const ignored = ignoredBy(input);
      return asStream(
        tarFs.pack(input.repoDir, {
          ignore: (path) => scripts.has(relative(input.repoDir, path)) || ignored(path),
          map: (header) => ({ ...header, name: `repo/${header.name}` }),
          finalize: false,
          finish: (pack) => {
            for (const script of input.scripts) {
              pack.entry({ name: `repo/${script.path}`, mode: 0o755 }, script.text);
            }
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

/** Paths the repository's ignore files exclude, and its .git folder. */
function ignoredBy(input: ContextInput): (path: string) => boolean {
  const rules = ignore().add([
    '.git',
    ...input.ignoreFiles.flatMap((file) => file.text.split(/\r?\n/)),
  ]);
  return (path) => {
    const name = relative(input.repoDir, path);
    return name !== '' && rules.ignores(name);
  };
}
