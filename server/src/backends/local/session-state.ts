import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuiltImage, SessionDescription } from '../types.js';

/**
 * What a later server needs to adopt a local session: kept in `<session folder>/session.json`,
 * readable by the server's user only (it holds the kernel server's own token).
 */
export interface LocalSessionState {
  /** The instance whose server started the session; others leave it alone. */
  instanceId: string;
  /** The jupyter_server process, also the id of its process group. */
  pid: number;
  /** Its port on 127.0.0.1; 0 until it answered. */
  port: number;
  /** The kernel server's own token. */
  token: string;
  session: SessionDescription;
  image: BuiltImage;
  /** Epoch ms after which the session must be gone. */
  expiresAt: number;
}

const STATE_FILE = 'session.json';

/** The state files of local sessions, one per session folder under `sessionsDir`. */
export class SessionStateFiles {
  constructor(private readonly sessionsDir: string) {}

  /** The folder a session's files (and its state file) live in. */
  folderOf(sessionId: string): string {
    return join(this.sessionsDir, sessionId);
  }

  /** Writes a session's state (mode 0600), replacing the old file in one step. */
  async write(state: LocalSessionState): Promise<void> {
    const file = join(this.folderOf(state.session.id), STATE_FILE);
    const draft = `${file}.${randomBytes(4).toString('hex')}`;
    await writeFile(draft, JSON.stringify(state), { mode: 0o600 });
    await rename(draft, file);
  }

  /** The readable state files of `instanceId`'s sessions; unreadable or foreign ones are skipped. */
  async list(instanceId: string): Promise<LocalSessionState[]> {
    const names = await readdir(this.sessionsDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const states = await Promise.all(names.map((name) => this.read(name)));
    return states.filter((state): state is LocalSessionState => state?.instanceId === instanceId);
  }

  /** Removes a session's folder with everything in it, its state file included. */
  async removeFolder(sessionId: string): Promise<void> {
    await rm(this.folderOf(sessionId), { recursive: true, force: true });
  }

  private async read(sessionId: string): Promise<LocalSessionState | undefined> {
    try {
      const text = await readFile(join(this.folderOf(sessionId), STATE_FILE), 'utf8');
      const state = JSON.parse(text) as LocalSessionState;
      return state.session.id === sessionId ? state : undefined;
    } catch {
      return undefined;
    }
  }
}
