import { describe, expect, it } from 'vitest';
import type { RepoFiles } from './repo-files.js';
import { readRuntime, runtimePython, unavailablePython } from './runtime.js';

const withRuntime = (text: string | undefined, configDir = ''): RepoFiles => ({
  dir: '/repo',
  configDir,
  files: new Map(text === undefined ? [] : [['runtime.txt', text]]),
  ignoreFiles: [],
});

describe('runtimePython', () => {
  it.each([
    ['python-3.10\n', '3.10'],
    ['python-3.10.12\n', '3.10'],
    ['python-3.12', '3.12'],
    ['  python-3.12\r\n', '3.12'],
  ])('reads %j as %s', (text, version) => {
    expect(runtimePython(withRuntime(text))).toBe(version);
  });

  it.each([undefined, '', '\n', 'r-4.3-2024-01-10', 'r-2024-01-10'])(
    'finds no Python in %j',
    (text) => {
      expect(runtimePython(withRuntime(text))).toBeUndefined();
    },
  );
});

describe('readRuntime', () => {
  it('reads R runtimes as R', () => {
    expect(readRuntime(withRuntime('r-4.3-2024-01-10\n'))).toEqual({
      language: 'r',
      line: 'r-4.3-2024-01-10',
    });
  });

  it.each([
    ['python3.11', ' (python-3.11)'],
    ['pyhton-3.11', ' (python-3.11)'],
    ['python-3', ''],
    ['Python-3.11', ' (python-3.11)'],
    ['julia-1.10', ' (python-1.10)'],
    ['python-3.11\npython-3.12', ' (python-3.11)'],
  ])('refuses %j with 422, naming the line and the forms', (line, suggestion) => {
    expect(() => readRuntime(withRuntime(`${line}\n`, 'binder'))).toThrow(
      expect.objectContaining({
        status: 422,
        message:
          `binder/runtime.txt says ${JSON.stringify(line)}, which is not a runtime: ` +
          `write python-X.Y${suggestion} for Python, or r-<version>-<YYYY-MM-DD> for R`,
      }),
    );
  });
});

describe('unavailablePython', () => {
  it.each([
    [['3.11'], 'it has Python 3.11. Ask for python-3.11 in runtime.txt'],
    [['3.10', '3.11'], 'it has Python 3.10 and 3.11. Ask for one of those in runtime.txt'],
    [
      ['3.9', '3.10', '3.11'],
      'it has Python 3.9, 3.10 and 3.11. Ask for one of those in runtime.txt',
    ],
  ])('with Python %j says %j', (versions, end) => {
    expect(unavailablePython(withRuntime('python-3.4\n'), 'python-3.4', versions)).toMatchObject({
      status: 422,
      message: `runtime.txt asks for "python-3.4", which this server cannot provide; ${end}`,
    });
  });

  it('says why the server has no other Python, before what to write', () => {
    expect(
      unavailablePython(withRuntime('python-3.4\n'), 'python-3.4', ['3.11'], 'conda is off')
        .message,
    ).toBe(
      'runtime.txt asks for "python-3.4", which this server cannot provide; it has Python 3.11; conda is off. Ask for python-3.11 in runtime.txt',
    );
  });
});
