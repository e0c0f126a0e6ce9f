import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import type { BinderStatusEvent } from '../events/binder-status-event.js';
import type { SessionState } from '../session/kernel-session.js';
import { planFor } from './thebe-config.js';
import type { ThebeBootstrap, ThebeGlobal } from './thebe-global.js';
import { upgradeCells } from './thebe-markup.js';
import { flag, isRecord, mergeOptions, readPageOptions } from './thebe-options.js';
import { mountActivateButton, mountStatusField, showProblem } from './thebe-widgets.js';

/** Thebe's status names for a session's states (Thebe says `closed` for a lost server). */
const THEBE_STATUS: Partial<Record<SessionState, string>> = {
  launching: 'launching',
  ready: 'ready',
  failed: 'failed',
  dead: 'dead',
  disconnected: 'closed',
  ended: 'closed',
};

const bridged = new WeakSet<ThebeGlobal>();

/**
 * What a page with Thebe markup gets once the SDK loads: its config read (or its problem
 * shown), Thebe's status and activate widgets, and a bootstrap when the config asks for one.
 */
export function preparePage(document: Document, thebe: ThebeGlobal): void {
  const page = readPageOptions(document);
  if (!page.ok) {
    showProblem(document, page.problem, document.querySelector('[data-executable]'));
    return;
  }
  bridgeStatus(document, thebe);
  if (flag(page.options, 'mountStatusWidget', true)) mountStatusField(document, thebe);
  if (flag(page.options, 'mountActivateWidget', true)) {
    mountActivateButton(document, () => thebe.bootstrap());
  }
  // A failed launch shows in the cells and the status events; nobody awaits this call.
  if (flag(page.options, 'bootstrap', false)) thebe.bootstrap().catch(() => undefined);
}

/**
 * `thebe.bootstrap(options)`: writes the page's `<binder-config>` from the Thebe options,
 * turns the Thebe cells into `<binder-cell>`s and, with `requestKernel`, resolves once
 * their session is ready (rejecting when it cannot start).
 */
export async function bootstrap(
  document: Document,
  thebe: ThebeGlobal,
  options: unknown,
): Promise<ThebeBootstrap> {
  const given = isRecord(options) ? options : {};
  const page = readPageOptions(document);
  const result = page.ok ? planFor(mergeOptions(page.options, given), document.baseURI) : page;
  if (!result.ok) {
    showProblem(document, result.problem, document.querySelector('[data-executable]'));
    throw new Error(result.problem);
  }
  const { plan } = result;
  if (typeof given.preRenderHook === 'function') (given.preRenderHook as () => void)();
  for (const name of plan.unsupported) {
    console.warn(
      `binder-cell: Thebe's ${name} option is not supported; cells run their code as written.`,
    );
  }
  bridgeStatus(document, thebe);
  writeConfig(document, plan.config);
  upgradeCells(document, plan);
  const cells = [...document.querySelectorAll<BinderCell>('binder-cell.thebe-cell')];
  if (plan.requestKernel) {
    const sessions = new Set(cells.flatMap((cell) => (cell.session ? [cell.session] : [])));
    await Promise.all([...sessions].map((session) => session.connect()));
  }
  return { cells };
}

/** A `<binder-config>` the page wrote itself for its default group of cells. */
const PAGE_CONFIG =
  'binder-config:not([session]):not([data-thebe]), binder-config[session=""]:not([data-thebe])';

/**
 * The `<binder-config>` of the Thebe cells (the page's default session group). One the
 * page wrote itself wins: its author chose those settings over the Thebe options.
 */
function writeConfig(document: Document, attributes: Record<string, string>): void {
  if (document.querySelector(PAGE_CONFIG)) return;
  const config =
    document.querySelector('binder-config[data-thebe]') ??
    document.body.appendChild(document.createElement('binder-config'));
  for (const name of config.getAttributeNames()) config.removeAttribute(name);
  config.setAttribute('data-thebe', '');
  for (const [name, value] of Object.entries(attributes)) config.setAttribute(name, value);
}

/** Tells Thebe's `status` listeners about session changes, once per change. */
function bridgeStatus(document: Document, thebe: ThebeGlobal): void {
  if (bridged.has(thebe)) return;
  bridged.add(thebe);
  let last = '';
  document.addEventListener('binder-cell-status', (event) => {
    const { state, message } = (event as BinderStatusEvent).detail.session;
    const status = THEBE_STATUS[state];
    if (!status || `${status}\n${message}` === last) return;
    last = `${status}\n${message}`;
    thebe.trigger('status', { status, message });
  });
}
