import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocker, imageId } from '../backends/docker/client.js';
import { runCommand } from '../util/command.js';
import { CONFIG_USAGE, configFrom, parseCommandLine, stringOption } from './options.js';

export const BASE_IMAGE_USAGE = `Usage: binder-cell-server base-image [--mirror <url>] [--force] [options]

Creates the base image environments start from (docker.baseImage in the
configuration, binder-cell-base:bookworm by default) without a registry:
debootstrap of a minimal Debian (docker.debianSuite) imported into Docker.
Needs root and debootstrap; does nothing when the image exists (unless --force).

      --mirror <url>      Debian mirror (default: the one this machine's apt uses)
      --force             rebuild even when the image exists
${CONFIG_USAGE}`;

export async function baseImage(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    mirror: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${BASE_IMAGE_USAGE}\n`);
    return 0;
  }
  const config = await configFrom(values);
  const { baseImage: name, debianSuite, socketPath } = config.docker;
  const docker = createDocker(socketPath);
  const existing = await imageId(docker, name);
  if (existing && !values.force) {
    console.error(`${name} exists (${existing.slice(7, 19)}); --force rebuilds it`);
    return 0;
  }
  const mirror = stringOption(values, 'mirror') ?? (await machineMirror());
  const root = await mkdtemp(join(tmpdir(), 'binder-cell-rootfs-'));
  try {
    console.error(`debootstrap ${debianSuite} from ${mirror}`);
    await runCommand('debootstrap', ['--variant=minbase', debianSuite, root, mirror], {
      onLine: (line) => console.error(`  ${line}`),
    }).catch((error: Error) => {
      throw new Error(`debootstrap failed (is it installed, and are you root?): ${error.message}`);
    });
    const [repository, tag = 'latest'] = name.split(/:(?=[^:/]+$)/);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.importImage(tar.stdout, { repo: repository, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) =>
        error ? reject(error) : resolve(),
      ),
    );
    console.error(`created ${name} (${(await imageId(docker, name))?.slice(7, 19) ?? '?'})`);
    return 0;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The first Debian mirror this machine's apt sources name (not the security archive). */
export async function machineMirror(): Promise<string> {
  const fallback = 'http://deb.debian.org/debian';
  const files = [
    '/etc/apt/sources.list',
    ...(await readdir('/etc/apt/sources.list.d').catch(() => [])).map(
      (name) => `/etc/apt/sources.list.d/${name}`,
    ),
  ];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const uris = [
      ...text.matchAll(/^URIs:\s*(\S+)/gm),
      ...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm),
    ].map((match) => match[1] ?? '');
    const mirror = uris.find((uri) => /^https?:\/\//.test(uri) && !uri.includes('security'));
    if (mirror) return mirror;
  }
  return fallback;
}
