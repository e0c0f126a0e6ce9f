/**
 * BokehJS, loaded from the session's own environment: a plot's BokehJS must match the
 * kernel's bokeh exactly, so no bundled copy fits most repositories. binder-cell
 * sessions serve their bokeh package's bundles at `binder-cell/bokehjs/<file>` (see
 * server/python/binder_cell_jupyter.py); they load as `<script>` elements from the launch
 * server's origin, which a strict CSP allowing the SDK's scripts allows too.
 */
import type { KernelSession } from '../session/kernel-session.js';
import { adaptBokehStyles, catchBokehStyles } from './bokeh-styles.js';
import { oneAtATime } from './one-at-a-time.js';
import { PlotNote } from './plot-renderer.js';

/** The part of a BokehJS bundle's API used here (bokehjs/src/lib/embed). */
export interface BokehJS {
  version: string;
  embed: {
    embed_items(docsJson: unknown, renderItems: unknown[]): Promise<{ clear(): void }[]>;
  };
  require?: (module: string) => unknown;
}

/** `window.Bokeh`: the first BokehJS loaded, and every loaded one by its version (Bokeh 3). */
type BokehRegistry = BokehJS & Record<string, BokehJS | undefined>;

const registry = () => (window as { Bokeh?: BokehRegistry }).Bokeh;

/** Loads by version, once per page. */
const loading = new Map<string, Promise<BokehJS>>();

interface BokehIndex {
  version: string;
  files: string[];
}

/**
 * The BokehJS of `version` (or of the session's environment when undefined): one already
 * on the page (inline BokehJS, or the page's own), else the session's. Rejects with a
 * message for people: not a binder-cell session (a PlotNote), bokeh missing there, another
 * version.
 */
export async function bokehjsFor(
  session: KernelSession | undefined,
  version: string | undefined,
): Promise<BokehJS> {
  const present = version ? registry()?.[version] : undefined;
  if (present) return adapted(present);
  const index = await fetchIndex(session);
  if (version && index.version !== version) {
    throw new Error(
      `This plot needs BokehJS ${version}, but the session's environment has bokeh ${index.version}.`,
    );
  }
  let loaded = loading.get(index.version);
  if (!loaded) {
    loaded = oneAtATime(() => loadScripts(session, index)).then(adapted);
    loading.set(index.version, loaded);
    loaded.catch(() => loading.delete(index.version));
  }
  return loaded;
}

const NOT_SERVED =
  "This session's server does not serve BokehJS, so Bokeh plots cannot be drawn here: " +
  'they need a binder-cell session. On pages with allow-javascript, ' +
  'output_notebook(resources=INLINE) brings BokehJS along instead.';

async function fetchIndex(session: KernelSession | undefined): Promise<BokehIndex> {
  const connection = session?.connection;
  if (!connection) throw new Error('Bokeh plots need the session that made them.');
  let response: Response;
  try {
    response = await fetch(new URL('binder-cell/bokehjs', connection.url), {
      headers: { authorization: `token ${connection.token}` },
    });
  } catch {
    throw new PlotNote(NOT_SERVED);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<BokehIndex> & {
    message?: string;
  };
  if (response.ok && typeof body.version === 'string' && Array.isArray(body.files)) {
    return { version: body.version, files: body.files };
  }
  if (response.status === 404 && body.message?.startsWith('bokeh is not installed')) {
    throw new Error("Bokeh is not installed in the session's environment.");
  }
  throw new PlotNote(NOT_SERVED);
}

async function loadScripts(session: KernelSession | undefined, index: BokehIndex) {
  const connection = session?.connection;
  if (!connection) throw new Error('Bokeh plots need the session that made them.');
  const stopCatching = catchBokehStyles();
  try {
    for (const file of index.files) {
      const url = new URL(`binder-cell/bokehjs/${file}`, connection.url);
      // A script element cannot send headers: the token goes in the query, as the proxy accepts.
      url.searchParams.set('token', connection.token);
      await loadScript(url.href, file);
    }
  } finally {
    stopCatching();
  }
  const bokeh = registry()?.[index.version];
  if (!bokeh) throw new Error(`BokehJS ${index.version} loaded but did not register itself.`);
  return bokeh;
}

function loadScript(src: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = false;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener(
      'error',
      () => reject(new Error(`BokehJS (${file}) could not be loaded from the session.`)),
      { once: true },
    );
    document.head.append(script);
  });
}

function adapted(bokeh: BokehJS): BokehJS {
  adaptBokehStyles(bokeh.require);
  return bokeh;
}
