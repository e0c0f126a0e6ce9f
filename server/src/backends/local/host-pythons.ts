import { readRuntime, unavailablePython } from '../../environment/runtime.js';
import type { RepoFiles } from '../../environment/repo-files.js';
import { HttpError } from '../../errors.js';
import { runCommand } from '../../util/command.js';

/** A Python interpreter of the server's host. */
export interface PythonInfo {
  executable: string;
  /** `X.Y.Z` */
  version: string;
}

/** The Python a venv is made with; `fallback` says why it is not the one runtime.txt asks for. */
export interface PythonChoice {
  info: PythonInfo;
  fallback?: string;
}

// Minor versions looked for as `python3.N` when saying what the host has.
const MINOR_VERSIONS = [6, 7, 8, 9, 10, 11, 12, 13, 14];

/** The host's Pythons, found by running them (each command once). */
export class HostPythons {
  private readonly probes = new Map<string, Promise<PythonInfo | undefined>>();

  /**
   * @param defaultPython config `local.python`.
   * @param fallback config `local.pythonFallback`: build with the default Python when
   *   runtime.txt asks for one the host lacks, instead of failing.
   */
  constructor(
    private readonly defaultPython: string,
    private readonly fallback: boolean,
  ) {}

  /** The default Python, or undefined when it cannot be run. */
  defaultInfo(): Promise<PythonInfo | undefined> {
    return this.probe(this.defaultPython);
  }

  /**
   * The Python runtime.txt asks for (`pythonX.Y` on the host), else the default. Throws
   * HttpError 500 when the default cannot be run, and 422 (readRuntime's, or one naming the
   * host's Pythons) when runtime.txt is malformed or asks for a Python the host lacks and
   * `fallback` is off.
   */
  async choose(files: RepoFiles): Promise<PythonChoice> {
    const info = await this.defaultInfo();
    if (!info) {
      throw new HttpError(500, `the server's Python (${this.defaultPython}) cannot be run`);
    }
    const runtime = readRuntime(files);
    if (runtime?.language !== 'python' || info.version.startsWith(`${runtime.version}.`)) {
      return { info };
    }
    const requested = await this.probe(`python${runtime.version}`);
    if (requested) return { info: requested };
    if (this.fallback) {
      return {
        info,
        fallback: `runtime.txt asks for ${runtime.line}, which this server lacks; using Python ${info.version} (the operator's local.pythonFallback)`,
      };
    }
    throw unavailablePython(files, runtime.line, await this.available(info));
  }

  /** The minor versions the host has, oldest first: `['3.10', '3.11']`. */
  private async available(info: PythonInfo): Promise<string[]> {
    const found = await Promise.all(MINOR_VERSIONS.map((minor) => this.probe(`python3.${minor}`)));
    const versions = new Set(
      [info, ...found].flatMap((python) => (python ? [minorOf(python.version)] : [])),
    );
    return [...versions].sort(byVersion);
  }

  private probe(command: string): Promise<PythonInfo | undefined> {
    let info = this.probes.get(command);
    if (!info) {
      const script =
        'import json, sys; print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3]}))';
      info = runCommand(command, ['-c', script]).then(
        ({ stdout }) => JSON.parse(stdout) as PythonInfo,
        () => undefined,
      );
      this.probes.set(command, info);
    }
    return info;
  }
}

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

function byVersion(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
