import { LitElement, html, nothing } from 'lit';
import type { EditorView } from '@codemirror/view';
import type { PropertyValues } from 'lit';
import { ansiStyles } from '../../cell/ansi.styles.js';
import { CellController } from '../../cell/cell-controller.js';
import { readCode } from '../../cell/read-code.js';
import { renderOutput } from '../../cell/render-output.js';
import { SessionRequestEvent } from '../../cell/session-request.js';
import { editorLanguage } from '../../editor/language.js';
import { READY_MESSAGE } from '../../session/kernel-session.js';
import type { KernelSession } from '../../session/kernel-session.js';
import { styles } from './binder-cell.styles.js';

/**
 * @summary A code block that readers can edit and run on a live Jupyter kernel.
 *
 * @attr repo - Repository to run in (`gh/org/repo/main`, `local/<name>`, ...); overrides `<binder-config>`.
 * @attr ref - Branch, tag or commit.
 * @attr server - Launch server(s), space-separated; the first healthy one is used.
 * @attr kind - `binder-cell` (default), `binderhub` or `jupyter`.
 * @attr kernel - Kernel name (default `python3`).
 * @attr session - Name of the group of cells sharing a session (default: the page's).
 * @attr token, launch, reuse, allow-javascript, widgets-url, editor - As on `<binder-config>`.
 * @attr language - Language for highlighting (default: the kernel's).
 * @attr readonly - The code cannot be edited.
 * @attr setup - Runs once when the session starts, before any other cell (hide it with `hidden`).
 *
 * @slot output - Pre-rendered outputs, shown until the cell first runs.
 *
 * @event binder-cell-status - The cell's or its session's state changed.
 * @event binder-cell-output - The cell's outputs changed.
 * @event binder-cell-error - A launch failed, the code raised, or the kernel went away.
 *
 * @csspart base - The cell's frame.
 * @csspart code - The code (and the editor, once loaded).
 * @csspart toolbar - Buttons, execution count and status.
 * @csspart run-button - The Run button.
 * @csspart interrupt-button - The Interrupt button.
 * @csspart restart-button - The Restart button.
 * @csspart status - The status line (an aria-live region).
 * @csspart input - The answer field for `input()`.
 * @csspart outputs - The outputs.
 * @csspart output - Each output, also named by its kind: `stream`, `error`, `html`, `image`,
 *   `text`, `markdown`, `latex`, `json`, `javascript`, `widget`, `plot`.
 */
export class BinderCell extends LitElement {
  static override styles = [styles, ansiStyles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    readonly: { type: Boolean, reflect: true },
    language: { type: String },
    setup: { type: Boolean, reflect: true },
  };

  declare readonly: boolean;
  declare language: string | undefined;
  declare setup: boolean;

  /** The code this cell runs: its content at first, then what the reader typed. */
  code = '';

  private readonly controller = new CellController(
    this,
    () => this.code,
    () => this.setup,
  );
  private readonly editorMount = document.createElement('div');
  private editor: EditorView | undefined;
  private editorLoading: Promise<EditorView> | undefined;

  constructor() {
    super();
    this.readonly = false;
    this.setup = false;
    this.addEventListener(SessionRequestEvent.type, (event) => {
      event.stopPropagation();
      (event as SessionRequestEvent).session = this.session;
    });
  }

  /** The session this cell runs in (shared with every cell of the same settings). */
  get session(): KernelSession | undefined {
    return this.controller.session;
  }

  override connectedCallback(): void {
    if (!this.editor) this.code = readCode(this);
    super.connectedCallback();
  }

  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    if (this.controller.settings?.editor === 'eager') void this.loadEditor(false);
  }

  /** Runs the cell, launching its session first if needed. */
  run(): Promise<void> {
    return this.controller.run();
  }

  interrupt(): Promise<void> {
    return this.controller.interrupt();
  }

  /** Restarts the kernel, or launches a new session when the old one is gone. */
  restart(): Promise<void> {
    return this.controller.restart();
  }

  /** Loads the editor now (it loads by itself when the code is first focused). */
  async edit(): Promise<void> {
    await this.loadEditor(true);
  }

  private async loadEditor(focus: boolean): Promise<EditorView | undefined> {
    if (this.controller.settings?.editor === 'off') return undefined;
    this.editorLoading ??= this.createEditor();
    const editor = await this.editorLoading;
    if (focus) editor.focus();
    return editor;
  }

  /** Swaps the code block for an editor; resolves once the editor is on the page. */
  private async createEditor(): Promise<EditorView> {
    const { createEditor } = await import('../../editor/code-editor.js');
    const editor = await createEditor({
      parent: this.editorMount,
      root: this.shadowRoot as ShadowRoot,
      doc: this.code,
      language: editorLanguage(this.language ?? null, this.controller.settings?.kernel),
      readOnly: this.readonly,
      label: 'Code',
      onChange: (code) => (this.code = code),
      onRun: (advance) => this.runFromKeyboard(advance),
    });
    this.editor = editor;
    this.requestUpdate();
    await this.updateComplete;
    return editor;
  }

  private runFromKeyboard(advance: boolean): void {
    void this.run();
    if (!advance) return;
    const cells = [...document.querySelectorAll('binder-cell')].filter((cell) => !cell.hidden);
    const next = cells[cells.indexOf(this) + 1];
    next?.focus();
  }

  private readonly onCodeKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || this.editor) return;
    if (event.shiftKey || event.ctrlKey || event.metaKey) {
      event.preventDefault();
      this.runFromKeyboard(event.shiftKey);
    }
  };

  private readonly onCodeFocus = () => {
    if (!this.editor && !this.readonly) void this.loadEditor(true);
  };

  override render() {
    const { controller } = this;
    return html`
      <div part="base" class="cell">
        <div part="code" class="code" @keydown=${this.onCodeKeydown}>
          ${
            this.editor
              ? this.editorMount
              : html`<pre
                  tabindex="0"
                  role="textbox"
                  aria-label="Code"
                  aria-readonly=${this.readonly ? 'true' : 'false'}
                  aria-multiline="true"
                  @focus=${this.onCodeFocus}
                ><code>${this.code}</code></pre>`
          }
        </div>
        <div part="toolbar" class="toolbar">
          ${this.renderButtons()}
          ${
            controller.executionCount === null
              ? nothing
              : html`<span class="count" aria-label="Execution count"
                  >[${controller.executionCount}]</span
                >`
          }
          ${this.renderStatus()}
        </div>
        ${this.renderInput()}
        <div part="outputs" class="outputs">
          ${controller.ran ? controller.outputs.outputs.map(renderOutput) : html`<slot name="output"></slot>`}
        </div>
      </div>
    `;
  }

  private renderButtons() {
    const { controller } = this;
    const busy = controller.state !== 'idle';
    const label = { idle: 'Run', waiting: 'Starting…', queued: 'Queued…', running: 'Running…' }[
      controller.state
    ];
    const sessionState = controller.session?.status.state;
    const restartable =
      controller.used &&
      (sessionState === 'ready' || sessionState === 'dead' || sessionState === 'disconnected');
    return html`
      <button
        part="run-button"
        type="button"
        aria-label=${busy ? nothing : 'Run cell'}
        ?disabled=${busy || controller.problem !== undefined}
        @click=${() => void this.run()}
      >
        ${label}
      </button>
      ${
        controller.state === 'queued' || controller.state === 'running'
          ? html`<button
              part="interrupt-button"
              type="button"
              class="secondary"
              aria-label="Interrupt kernel"
              @click=${() => void this.interrupt()}
            >
              Interrupt
            </button>`
          : nothing
      }
      ${
        restartable
          ? html`<button
              part="restart-button"
              type="button"
              class="secondary"
              aria-label="Restart kernel"
              ?disabled=${busy}
              @click=${() => void this.restart()}
            >
              Restart
            </button>`
          : nothing
      }
    `;
  }

  private renderInput() {
    const { input } = this.controller;
    if (!input) return nothing;
    const submit = (event: Event) => {
      event.preventDefault();
      const field = (event.target as HTMLFormElement).elements.namedItem(
        'answer',
      ) as HTMLInputElement;
      input.answer(field.value);
    };
    return html`<form part="input" class="input" @submit=${submit}>
      <label
        >${input.prompt || 'Input'}
        <input
          name="answer"
          type=${input.password ? 'password' : 'text'}
          autocomplete="off"
          autofocus
      /></label>
      <button type="submit">Send</button>
    </form>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.controller.input) {
      const field = this.shadowRoot?.querySelector<HTMLInputElement>('input[name="answer"]');
      if (field && this.shadowRoot?.activeElement !== field) field.focus();
    }
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
    if (controller.state === 'queued')
      return { text: 'Queued behind other cells…', problem: false };
    if (controller.state === 'running') return { text: 'Running…', problem: false };
    if (status.state === 'failed' || status.state === 'dead' || status.state === 'disconnected') {
      return { text: status.message, problem: true };
    }
    if (controller.runError) return { text: controller.runError, problem: true };
    return { text: status.message === READY_MESSAGE ? '' : status.message, problem: false };
  }
}
