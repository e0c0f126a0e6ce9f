import type { RepoFiles } from '../environment/repo-files.js';
import { CondaBuildPack } from './conda.js';
import { DockerfileBuildPack } from './dockerfile.js';
import { JuliaBuildPack } from './julia.js';
import { DefaultPythonBuildPack, PipBuildPack } from './pip.js';
import { PipenvBuildPack } from './pipenv.js';
import { RBuildPack } from './r.js';
import type { BuildPack } from './types.js';

export type {
  BuildPack,
  PackageSources,
  RenderContext,
  RenderSource,
  RenderedBuild,
  StageContext,
} from './types.js';

/** In order: the first buildpack that detects its files builds the repository. */
export const BUILDPACKS: readonly BuildPack[] = [
  new DockerfileBuildPack(),
  new CondaBuildPack(),
  new PipenvBuildPack(),
  new PipBuildPack(),
  new RBuildPack(),
  new JuliaBuildPack(),
];

/** Nothing found: a default Python environment. */
const DEFAULT_BUILDPACK = new DefaultPythonBuildPack();

export function selectBuildPack(files: RepoFiles): BuildPack {
  return BUILDPACKS.find((buildpack) => buildpack.detect(files)) ?? DEFAULT_BUILDPACK;
}
