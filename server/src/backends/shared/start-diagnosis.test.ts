import { describe, expect, it } from 'vitest';
import { earlyExitError } from './start-diagnosis.js';
import type { EarlyExit } from './start-diagnosis.js';

const exit = (details: Partial<EarlyExit>): EarlyExit => ({
  exitCode: 1,
  tail: [],
  user: '1000:1000',
  home: '/home/jovyan',
  ...details,
});

const describeEarlyExit = (details: EarlyExit) => earlyExitError(details).message;
const blames = (details: EarlyExit) => earlyExitError(details).repositoryFault;

describe('earlyExitError', () => {
  it('always reports the exit code, with no guess when nothing tells the cause', () => {
    expect(describeEarlyExit(exit({ exitCode: 3 }))).toBe('exited with code 3 while starting');
    expect(describeEarlyExit(exit({ exitCode: 0 }))).toBe('exited with code 0 while starting');
  });

  it('says a start script that exits 0 must end with exec "$@"', () => {
    expect(describeEarlyExit(exit({ exitCode: 0, startScript: '/home/jovyan/binder/start' }))).toBe(
      'exited with code 0 while starting: the start script /home/jovyan/binder/start ended ' +
        'without running the command it was given: start must end with exec "$@"',
    );
  });

  it('names the start script when the session fails after running it', () => {
    expect(describeEarlyExit(exit({ exitCode: 3, startScript: '/home/jovyan/start' }))).toBe(
      'exited with code 3 while starting: the start script /home/jovyan/start or the server it runs failed',
    );
  });

  it('points at HOME when the server may not write its files', () => {
    const message = describeEarlyExit(
      exit({
        home: '/',
        tail: ["PermissionError: [Errno 13] Permission denied: '/.local'"],
      }),
    );
    expect(message).toMatch(
      /^exited with code 1 while starting: the user it runs as \(1000:1000\)/,
    );
    expect(message).toContain('HOME is /');
    expect(message).toContain(
      "ENV HOME set to a folder that user owns, as mybinder's Dockerfile guide shows",
    );
  });

  it('says so when the image has no jupyter_server', () => {
    expect(
      describeEarlyExit(
        exit({ tail: ['/usr/bin/python3: No module named jupyter_server'], startScript: '/s' }),
      ),
    ).toMatch(/python3 has no jupyter_server/);
  });

  it('explains the exit codes of a command that was not found or could not be run', () => {
    expect(describeEarlyExit(exit({ exitCode: 127 }))).toMatch(/code 127 .*was not found/);
    expect(describeEarlyExit(exit({ exitCode: 126 }))).toMatch(/code 126 .*could not be executed/);
  });

  it('puts running out of memory before anything the output says', () => {
    expect(
      describeEarlyExit(exit({ exitCode: 137, outOfMemory: true, tail: ['Permission denied'] })),
    ).toBe('exited with code 137 while starting: it used more memory than its limit allows');
  });

  it('blames the repository (a 422) for its start script and its image, the server for the rest', () => {
    expect(blames(exit({ exitCode: 0, startScript: '/s' }))).toBe(true);
    expect(blames(exit({ exitCode: 3, startScript: '/s' }))).toBe(true);
    expect(blames(exit({ exitCode: 127, startScript: '/s' }))).toBe(true);
    expect(blames(exit({ tail: ['No module named jupyter_server'] }))).toBe(true);
    expect(blames(exit({ tail: ['PermissionError: /.local'] }))).toBe(true);
    expect(blames(exit({ exitCode: 127 }))).toBe(false);
    expect(blames(exit({ exitCode: 3 }))).toBe(false);
    expect(blames(exit({ exitCode: 137, outOfMemory: true, startScript: '/s' }))).toBe(false);
  });
});
