import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

/** A Thebe (or ThebeLab) config script, or code Thebe's default selector would pick. */
const THEBE_MARKUP = 'script[type^="text/x-thebe"], [data-executable]';

/** What Thebe's `status` listeners receive: `launching`, `ready`, `failed`, `dead` or `closed`. */
export interface ThebeStatus {
  status: string;
  message: string;
}

export type ThebeListener = (event: string, data: ThebeStatus) => void;

/** Thebe's event hub. A listener that throws is logged and the others still run. */
export class ThebeEvents {
  private readonly listeners = new Map<string, Map<ThebeListener, { once: boolean }>>();

  on(event: string, listener: ThebeListener): () => void {
    return this.add(event, listener, false);
  }

  one(event: string, listener: ThebeListener): () => void {
    return this.add(event, listener, true);
  }

  off(event: string, listener: ThebeListener): void {
    this.listeners.get(event)?.delete(listener);
  }

  trigger(event: string, data: ThebeStatus): void {
    for (const [listener, { once }] of [...(this.listeners.get(event) ?? [])]) {
      if (once) this.off(event, listener);
      try {
        listener(event, data);
      } catch (error) {
        console.error(`binder-cell: a Thebe "${event}" listener failed:`, error);
      }
    }
  }

  private add(event: string, listener: ThebeListener, once: boolean): () => void {
    const listeners = this.listeners.get(event) ?? new Map<ThebeListener, { once: boolean }>();
    listeners.set(listener, { once });
    this.listeners.set(event, listeners);
    return () => this.off(event, listener);
  }
}

export interface ThebeBootstrap {
  /** Every cell Thebe markup became, on the page so far. */
  cells: BinderCell[];
}

/** `window.thebe` (and `window.thebelab`): what pages written for Thebe call. */
export interface ThebeGlobal {
  /** Turns the page's Thebe cells into `<binder-cell>`s; options override the page's config. */
  bootstrap(options?: Record<string, unknown>): Promise<ThebeBootstrap>;
  events: ThebeEvents;
  on: ThebeEvents['on'];
  one: ThebeEvents['one'];
  off: ThebeEvents['off'];
  trigger: ThebeEvents['trigger'];
}

declare global {
  interface Window {
    thebe?: ThebeGlobal;
    thebelab?: ThebeGlobal;
  }
}

/**
 * Takes over pages written for Thebe: once the page has a Thebe config script or
 * `[data-executable]` code, installs `window.thebe` and loads the rest (the option mapping
 * and the markup upgrade) as a separate chunk.
 */
export function startThebeCompat(): void {
  const start = () => {
    if (!document.querySelector(THEBE_MARKUP)) return;
    const thebe = installThebeGlobal(document);
    if (thebe) void import('./thebe-page.js').then((page) => page.preparePage(document, thebe));
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start, { once: true });
  } else {
    start();
  }
}

function installThebeGlobal(document: Document): ThebeGlobal | undefined {
  if (window.thebe ?? window.thebelab) {
    console.warn(
      'binder-cell: Thebe itself is loaded on this page, so binder-cell leaves its cells alone.',
    );
    return undefined;
  }
  const events = new ThebeEvents();
  const thebe: ThebeGlobal = {
    bootstrap: (options = {}) =>
      import('./thebe-page.js').then((page) => page.bootstrap(document, thebe, options)),
    events,
    on: events.on.bind(events),
    one: events.one.bind(events),
    off: events.off.bind(events),
    trigger: events.trigger.bind(events),
  };
  window.thebe = thebe;
  window.thebelab = thebe;
  return thebe;
}
