import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An instance id: it labels every container and pod of the instance, so it is a Kubernetes
 * label value (the strictest of the engines' rules): at most 63 letters, digits, `-`, `_`
 * or `.`, starting and ending with a letter or digit.
 */
export const INSTANCE_ID = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** What INSTANCE_ID asks for, as messages say it. */
export const INSTANCE_ID_RULE =
  'at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

const INSTANCE_FILE = 'instance-id';

/** A fresh random instance id, e.g. for `binder-cell-server run`, whose sessions are its own. */
export function newInstanceId(prefix = 'bc'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/**
 * The instance id of a server using `dataDir`: the one in `<dataDir>/instance-id`,
 * written there on first use. Two servers on one data folder are one instance (and the
 * docs ask for one server per data folder). Throws when the file holds no valid id.
 */
export async function instanceIdOf(dataDir: string): Promise<string> {
  const file = join(dataDir, INSTANCE_FILE);
  await mkdir(dataDir, { recursive: true });
  // Written aside and linked into place, so a server starting at the same moment never
  // reads a half-written file, and the first one's id wins.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${newInstanceId()}\n`);
  try {
    await link(draft, file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(draft, { force: true });
  }
  const id = (await readFile(file, 'utf8')).trim();
  if (!INSTANCE_ID.test(id)) {
    throw new Error(`${file} does not hold an instance id (${INSTANCE_ID_RULE}): remove it`);
  }
  return id;
}
