import { LitElement, html, nothing } from 'lit';
import { CellController } from '../../cell/cell-controller.js';
import { readCode } from '../../cell/read-code.js';
import { renderOutput } from '../../cell/render-output.js';
import { READY_MESSAGE } from '../../session/kernel-session.js';
import { styles } from './binder-cell.styles.js';

/**
 * @summary A code block that readers can run on a live Jupyter kernel.
 *
 * @attr repo - Repository to run in (`local/<name>`, `git/<escaped url>/<ref>`); overrides `<binder-config>`.
 * @attr ref - Branch, tag or commit.
 * @attr server - Base URL of the binder-cell launch API.
 * @attr kernel - Kernel name (default `python3`).
 *
 * @csspart base - The cell's frame.
 * @csspart code - The code.
 * @csspart toolbar - Run button, execution count and status.
 * @csspart run-button - The Run button.
 * @csspart restart-button - The Restart button.
 * @csspart status - The status line (an aria-live region).
 * @csspart outputs - The outputs.
 * @csspart output - Each output (also `stream`, `error`, `html`, `image`, `text`).
 */
export class BinderCell extends LitElement {
  static override styles = styles;

  /** The code this cell runs. Read from the cell's content when it connects. */
  code = '';

  private readonly controller = new CellController(this);

  override connectedCallback(): void {
    this.code = readCode(this);
    super.connectedCallback();
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown);
  }

  /** Runs the cell, launching its session first if needed. */
  run(): Promise<void> {
    return this.controller.run(this.code);
  }

  /** Restarts the kernel, or launches a new session when the old one is gone. */
  restart(): Promise<void> {
    return this.controller.restart();
  }

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      void this.run();
    }
  };

  override render() {
    const { controller } = this;
    const busy = controller.state !== 'idle';
    return html`
      <div part="base" class="cell">
        <div part="code" class="code">
          <pre><code>${this.code}</code></pre>
        </div>
        <div part="toolbar" class="toolbar">
          <button
            part="run-button"
            type="button"
            aria-label="Run cell"
            ?disabled=${busy || controller.problem !== undefined}
            @click=${() => void this.run()}
          >
            ${busy ? 'Running…' : 'Run'}
          </button>
          ${this.renderRestart()}
          ${
            controller.executionCount === null
              ? nothing
              : html`<span class="count" aria-label="Execution count"
                  >[${controller.executionCount}]</span
                >`
          }
          ${this.renderStatus()}
        </div>
        <div part="outputs" class="outputs">${controller.outputs.outputs.map(renderOutput)}</div>
      </div>
    `;
  }

  private renderRestart() {
    const { controller } = this;
    const state = controller.session?.status.state;
    if (!controller.used || (state !== 'ready' && state !== 'dead' && state !== 'disconnected')) {
      return nothing;
    }
    return html`<button
      part="restart-button"
      type="button"
      class="secondary"
      aria-label="Restart kernel"
      ?disabled=${controller.state !== 'idle'}
      @click=${() => void this.restart()}
    >
      Restart
    </button>`;
  }

  private renderStatus() {
    const { text, problem } = this.statusLine();
    return html`<span
      part="status"
      class="status ${problem ? 'problem' : ''}"
      role="status"
      aria-live="polite"
      >${text}</span
    >`;
  }

  private statusLine(): { text: string; problem: boolean } {
    const { controller } = this;
    if (controller.problem) return { text: controller.problem, problem: true };
    const status = controller.session?.status;
    if (!status || !controller.used) return { text: '', problem: false };
    if (controller.state === 'waiting') {
      return {
        text: status.log ? `${status.message} ${status.log}` : status.message,
        problem: false,
      };
    }
    if (controller.state === 'running') return { text: 'Running…', problem: false };
    if (status.state === 'failed' || status.state === 'dead' || status.state === 'disconnected') {
      return { text: status.message, problem: true };
    }
    if (controller.runError) return { text: controller.runError, problem: true };
    return { text: status.message === READY_MESSAGE ? '' : status.message, problem: false };
  }
}
