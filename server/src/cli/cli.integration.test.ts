import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo, gitSpec } from '../test-support/git-repo.js';
import { TEST_DATA_DIR } from '../test-support/server.js';
import { tempFolder } from '../test-support/temp-folder.js';

const BIN = fileURLToPath(new URL('../../bin/binder-cell-server.js', import.meta.url));

const folder = (files: Record<string, string>) => tempFolder(files, 'binder-cell-cli-');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('binder-cell-server', () => {
  beforeAll(() => {
    if (!existsSync(fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url)))) {
      throw new Error('the server is not built: run npm run build first');
    }
  });

  it('prints the Dockerfiles for a folder, without Docker', async () => {
    const repo = await folder({
      'binder/requirements.txt': 'numpy==2.4.6\n',
      'binder/apt.txt': 'jq\n',
    });
    const { code, stdout } = await cli('dockerfile', repo);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# buildpack: pip; kernels: python3\n/);
    expect(stdout).toContain('FROM ${BINDER_BASE_IMAGE}');
    expect(stdout).toContain('apt-get install -y --no-install-recommends jq');
    expect(stdout).toContain('COPY --chown=1000:1000 env/requirements.txt /tmp/binder-env/');
    expect(stdout).toMatch(/LABEL org\.binder-cell\.repo="local\/binder-cell-cli-\w+"/);
  });

  it('reports how repeatable an environment is', async () => {
    const repo = await folder({ 'requirements.txt': 'numpy\npandas==2.2.3\n' });
    const { code, stdout } = await cli('check', repo, '--data-dir', TEST_DATA_DIR);
    expect(code).toBe(0);
    expect(stdout).toContain('Reproducibility report');
    expect(stdout).toContain('unpinned: requirements.txt: numpy (no ==version)');
    expect(stdout).toContain('unpinned: no runtime.txt');
  });

  it('lists included requirements files in the report, and refuses a malformed runtime.txt', async () => {
    const repo = await folder({
      'binder/requirements.txt': '-r ../requirements.txt\n',
      'binder/runtime.txt': 'python-3.11\n',
      'requirements.txt': 'numpy\n',
    });
    const { code, stdout } = await cli('check', repo, '--data-dir', TEST_DATA_DIR);
    expect(code).toBe(0);
    expect(stdout).toContain('requirements.txt (included by binder/requirements.txt)');
    expect(stdout).toContain(
      'unpinned: requirements.txt (included by binder/requirements.txt): numpy (no ==version)',
    );
    const typo = await folder({ 'runtime.txt': 'pyhton-3.11\n' });
    expect(await cli('check', typo, '--data-dir', TEST_DATA_DIR)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('runtime.txt says "pyhton-3.11", which is not a runtime'),
    });
  });

  it('explains bad input with a non-zero exit', async () => {
    expect(await cli('dockerfile', 'gh/-owner/repo/main')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('invalid GitHub owner'),
    });
    expect(await cli('frobnicate')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command'),
    });
    expect(await cli('dockerfile')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give one folder'),
    });
    expect(await cli('serve', '--port', 'eighty')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('port'),
    });
  });

  it("takes each command's own options: check has no server to listen with", async () => {
    const help = await cli('check', '--help');
    expect(help.stdout).toContain('--allow-file-urls');
    expect(help.stdout).not.toMatch(/--port|--host|--public-url|--examples/);
    expect((await cli('serve', '--help')).stdout).toMatch(/--port[\s\S]*--examples/);
    expect(await cli('check', '.', '--port', '8080')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--port'"),
    });
  });

  it('checks a file:// repository quietly, and names the option that allows one', async () => {
    const repo = await createGitRepo({ 'requirements.txt': 'numpy==2.4.6\n' });
    const spec = gitSpec(repo.url, 'main');
    expect(await cli('check', spec, '--data-dir', TEST_DATA_DIR)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'file:// repositories are disabled on this server (repos.allowFileUrls, or --allow-file-urls here)',
      ),
    });
    const allowed = await cli('check', spec, '--data-dir', TEST_DATA_DIR, '--allow-file-urls');
    expect(allowed).toMatchObject({ code: 0, stderr: '' });
    expect(allowed.stdout).toContain('environment files: requirements.txt');
  });

  it('runs a folder as one session and prints its URL and token until stopped', async () => {
    const repo = await folder({ 'hello.py': 'print("hi")\n' });
    const child = spawn(process.execPath, [BIN, 'run', repo, '--data-dir', TEST_DATA_DIR], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const printed: Record<string, string> = {};
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      const match = /^\s+(URL|token):\s+(\S+)/.exec(line);
      if (match?.[1] && match[2]) printed[match[1]] = match[2];
      if (line.startsWith('Ctrl-C')) break;
    }
    const url = printed.URL ?? '';
    const response = await fetch(new URL('api/kernelspecs', url), {
      headers: { authorization: `token ${printed.token ?? ''}` },
    });
    expect(response.status).toBe(200);
    // Its output is for people: no JSON log lines among it.
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    child.kill('SIGINT');
    // As a shell reports a command stopped by SIGINT (128 + 2).
    expect(await exited).toBe(130);
  });
});
