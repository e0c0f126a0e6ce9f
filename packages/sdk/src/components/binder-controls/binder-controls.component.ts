import { LitElement, html } from 'lit';
import { activate, interrupt, restart, restartAndRunAll, runAll } from '../../api.js';
import type { Scope } from '../../api.js';
import { BinderStatusEvent } from '../../events/binder-status-event.js';
import { pageSessions } from '../../session/session-registry.js';
import { styles } from './binder-controls.styles.js';

/**
 * @summary Page-level buttons: start the session now, run all, restart, restart and run all, interrupt.
 *
 * @attr session - Act on one group of cells only (their `session` attribute).
 *
 * @csspart activate-button - Starts the sessions now.
 * @csspart run-all-button - Runs every cell in order.
 * @csspart restart-button - Restarts the kernels.
 * @csspart restart-run-all-button - Restarts, then runs every cell in order.
 * @csspart interrupt-button - Interrupts the kernels.
 * @csspart status - The sessions' state (an aria-live region).
 */
export class BinderControls extends LitElement {
  static override styles = styles;
  static override properties = { session: { type: String } };

  declare session: string | undefined;
  private message = '';
  private readonly onStatus = () => {
    this.message = pageSessions(this.session)
      .map((session) => session.status.message)
      .filter(Boolean)
      .join('; ');
    this.requestUpdate();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Sessions arrive with their cells, before or after these controls; every change of
    // one reaches the document as its cells' status events.
    document.addEventListener(BinderStatusEvent.type, this.onStatus);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(BinderStatusEvent.type, this.onStatus);
  }

  private scope(): Scope {
    return this.session === undefined ? {} : { session: this.session };
  }

  override render() {
    const act = (action: (scope: Scope) => Promise<void>) => () => void action(this.scope());
    return html`
      <button part="activate-button" type="button" class="primary" @click=${act(activate)}>
        Start session
      </button>
      <button part="run-all-button" type="button" @click=${act(runAll)}>Run all</button>
      <button part="restart-button" type="button" @click=${act(restart)}>Restart</button>
      <button part="restart-run-all-button" type="button" @click=${act(restartAndRunAll)}>
        Restart &amp; run all
      </button>
      <button part="interrupt-button" type="button" @click=${act(interrupt)}>Interrupt</button>
      <span part="status" class="status" role="status" aria-live="polite">${this.message}</span>
    `;
  }
}
