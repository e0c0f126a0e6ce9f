import { describe, expect, it } from 'vitest';
import type { RepoFiles } from '../../environment/repo-files.js';
import { requireRuntimePython } from './python-sources.js';

const URL = 'https://micro.mamba.pm/api/micromamba/linux-64/latest';

const withRuntime = (text: string): RepoFiles => ({
  dir: '/repo',
  configDir: '',
  files: new Map([['runtime.txt', text]]),
  ignoreFiles: [],
});

/** A reachability check that records what it was asked. */
function reachability(answer: boolean) {
  const asked: string[] = [];
  return {
    asked,
    check: (url: string) => {
      asked.push(url);
      return Promise.resolve(answer);
    },
  };
}

describe('requireRuntimePython', () => {
  it("needs no download for the base image's Python", async () => {
    const probe = reachability(false);
    await requireRuntimePython(withRuntime('python-3.11.4\n'), '3.11', URL, probe.check);
    expect(probe.asked).toEqual([]);
  });

  it('accepts another Python when conda answers', async () => {
    const probe = reachability(true);
    await requireRuntimePython(withRuntime('python-3.10\n'), '3.11', URL, probe.check);
    expect(probe.asked).toEqual([URL]);
  });

  it('refuses another Python with 422 when conda does not answer, naming the line', async () => {
    await expect(
      requireRuntimePython(withRuntime('python-3.10\n'), '3.11', URL, reachability(false).check),
    ).rejects.toMatchObject({
      status: 422,
      message: `runtime.txt asks for "python-3.10", which this server cannot provide; it has Python 3.11; other versions come from conda, and ${URL} does not answer. Ask for python-3.11 in runtime.txt`,
    });
  });
});
