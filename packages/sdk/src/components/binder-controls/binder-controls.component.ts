import { LitElement, html, nothing } from 'lit';
import {
  activate,
  downloadNotebook,
  interrupt,
  restart,
  restartAndRunAll,
  runAll,
} from '../../api.js';
import type { Scope } from '../../api.js';
import type { KernelSession } from '../../session/kernel-session.js';
import { pageSessions, sessionsEvents } from '../../session/session-registry.js';
import { styles } from './binder-controls.styles.js';

/**
 * @summary Page-level buttons: start the session now, run all, restart, restart and run all, interrupt.
 *
 * @attr session - Act on one group of cells only (their `session` attribute).
 *
 * @csspart activate-button - Starts the sessions now (shown until they are up; then Run all
 *   is the primary button).
 * @csspart run-all-button - Runs every cell in order.
 * @csspart restart-button - Restarts the kernels.
 * @csspart restart-run-all-button - Restarts, then runs every cell in order.
 * @csspart interrupt-button - Interrupts the kernels.
 * @csspart download-button - Downloads the cells and their outputs as a notebook (`.ipynb`).
 * @csspart status - The sessions' state (an aria-live region).
 *
 * @cssprop --binder-cell-foreground - Text.
 * @cssprop --binder-cell-muted - The status line.
 * @cssprop --binder-cell-radius - Corners of the buttons.
 * @cssprop --binder-cell-accent - Buttons, focus rings.
 * @cssprop --binder-cell-accent-text - Text on the primary button.
 */
export class BinderControls extends LitElement {
  static override styles = styles;
  static override properties = { session: { type: String } };

  declare session: string | undefined;
  private readonly followed = new Set<KernelSession>();
  /** Why the last download failed (cells on several kernels), until the next one. */
  private downloadProblem = '';
  private readonly onStatus = () => this.requestUpdate();
  private readonly onSession = () => this.follow();

  override connectedCallback(): void {
    super.connectedCallback();
    // Sessions arrive with their cells, before or after these controls.
    sessionsEvents.addEventListener('session', this.onSession);
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    sessionsEvents.removeEventListener('session', this.onSession);
    this.followed.forEach((session) => session.removeEventListener('status', this.onStatus));
    this.followed.clear();
  }

  private follow(): void {
    for (const session of pageSessions(this.session)) {
      if (this.followed.has(session)) continue;
      this.followed.add(session);
      session.addEventListener('status', this.onStatus);
    }
    this.requestUpdate();
  }

  private scope(): Scope {
    return this.session === undefined ? {} : { session: this.session };
  }

  private readonly download = () => {
    this.downloadProblem = '';
    downloadNotebook(this.scope()).catch((error: unknown) => {
      this.downloadProblem = error instanceof Error ? error.message : String(error);
      this.requestUpdate();
    });
    this.requestUpdate();
  };

  override render() {
    const act = (action: (scope: Scope) => Promise<void>) => () => void action(this.scope());
    const sessions = pageSessions(this.session);
    const states = sessions.map((session) => session.status.state);
    // Once the sessions are up (or on their way), running the cells is what comes next.
    const started = states.length > 0 && states.every((s) => s === 'ready' || s === 'launching');
    const message = [...new Set(sessions.map((session) => session.status.message))]
      .filter(Boolean)
      .join(' · ');
    return html`
      ${
        started
          ? nothing
          : html`<button
              part="activate-button"
              type="button"
              class="primary"
              @click=${act(activate)}
            >
              Start session
            </button>`
      }
      <button
        part="run-all-button"
        type="button"
        class=${started ? 'primary' : ''}
        @click=${act(runAll)}
      >
        Run all
      </button>
      <button part="restart-button" type="button" @click=${act(restart)}>Restart</button>
      <button part="restart-run-all-button" type="button" @click=${act(restartAndRunAll)}>
        Restart &amp; run all
      </button>
      <button part="interrupt-button" type="button" @click=${act(interrupt)}>Interrupt</button>
      <button part="download-button" type="button" @click=${this.download}>
        Download notebook
      </button>
      <span part="status" class="status" role="status" aria-live="polite"
        >${this.downloadProblem || message}</span
      >
    `;
  }
}
