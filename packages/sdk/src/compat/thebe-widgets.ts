import type { ThebeGlobal } from './thebe-global.js';

const STATUS_LABELS: Record<string, string> = {
  launching: 'Launching…',
  ready: 'Kernel ready',
  failed: 'Failed to start',
  dead: 'Kernel died',
  closed: 'Disconnected',
};

/** Thebe's Activate button, in the page's `.thebe-activate` placeholder (if it has one). */
export function mountActivateButton(document: Document, activate: () => Promise<unknown>): void {
  const placeholder = document.querySelector('.thebe-activate');
  if (!placeholder) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'thebe-activate-button';
  button.textContent = 'Activate';
  button.addEventListener('click', () => {
    button.disabled = true;
    activate().catch(() => (button.disabled = false));
  });
  placeholder.replaceChildren(button);
}

/** Thebe's status line, in the page's `.thebe-status` placeholder (if it has one). */
export function mountStatusField(document: Document, thebe: ThebeGlobal): void {
  const placeholder = document.querySelector('.thebe-status');
  if (!placeholder) return;
  const field = document.createElement('span');
  field.className = 'thebe-status-field';
  field.setAttribute('role', 'status');
  field.textContent = 'No kernel yet';
  const message = document.createElement('span');
  message.className = 'thebe-status-message';
  placeholder.replaceChildren('Status: ', field, message);
  thebe.on('status', (_event, { status, message: text }) => {
    field.className = `thebe-status-field thebe-status-${status}`;
    field.textContent = STATUS_LABELS[status] ?? status;
    message.textContent = !text || text === field.textContent ? '' : `: ${text}`;
  });
}

/**
 * Says why the Thebe cells cannot run, in the console and on the page: above the first
 * Thebe cell (or at the top of the page), replacing an earlier such notice.
 */
export function showProblem(document: Document, problem: string, near: Element | null): void {
  console.error(`binder-cell: ${problem}`);
  const notice =
    document.querySelector('.binder-cell-thebe-problem') ?? document.createElement('p');
  notice.className = 'binder-cell-thebe-problem';
  notice.setAttribute('role', 'alert');
  notice.textContent = `Live code is unavailable on this page. ${problem}`;
  if (notice.isConnected) return;
  if (near) near.before(notice);
  else document.body.prepend(notice);
}
