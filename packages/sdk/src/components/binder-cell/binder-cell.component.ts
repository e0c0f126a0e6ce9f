import { LitElement, html, nothing } from 'lit';
import type { EditorView } from '@codemirror/view';
import type { PropertyValues } from 'lit';
import { exactColours } from '../../cell/ansi-colours.js';
import { ansiStyles } from '../../cell/ansi.styles.js';
import { CellController } from '../../cell/cell-controller.js';
import { promptsOf, stripPrompts } from '../../cell/prompts.js';
import { readCode } from '../../cell/read-code.js';
import type { Output } from '../../cell/output-model.js';
import { renderOutput } from '../../cell/render-output.js';
import { SessionRequestEvent } from '../../cell/session-request.js';
import type { Token } from '../../editor/highlight.js';
import { editorLanguage } from '../../editor/language.js';
import { pointerReleased, selectionIn } from '../../editor/reader-selection.js';
import type { CodeSelection } from '../../editor/reader-selection.js';
import { READY_MESSAGE } from '../../session/kernel-session.js';
import type { KernelSession, SessionStatus } from '../../session/kernel-session.js';
import { styles } from './binder-cell.styles.js';
import { adoptNestedOutputStyles } from './slotted-outputs.js';

/**
 * @summary A code block that readers can edit and run on a live Jupyter kernel.
 *
 * @attr repo - Repository to run in (`gh/org/repo/main`, `local/<name>`, ...); overrides `<binder-config>`.
 * @attr ref - Branch, tag or commit.
 * @attr server - Launch server(s), space-separated; the first healthy one is used.
 * @attr kind - `binder-cell` (default), `binderhub` or `jupyter`.
 * @attr kernel - Kernel name (default `python3`).
 * @attr session - Name of the group of cells sharing a session (default: the page's).
 * @attr token - Token of a `jupyter` server; as on `<binder-config>`.
 * @attr launch - `run` (default) or `eager`; as on `<binder-config>`.
 * @attr reuse - Seconds a session may be reused by later page loads; as on `<binder-config>`.
 * @attr allow-javascript - Run `application/javascript` outputs and HTML outputs' scripts.
 * @attr widgets-url - Where third-party widget modules load from; as on `<binder-config>`.
 * @attr editor - `lazy` (default), `eager` or `off`; as on `<binder-config>`.
 * @attr path - The kernel's working directory, relative to the repository; as on `<binder-config>`.
 * @attr in-prompt - Prompt of a console transcript's statements (`>>> `): only prompted lines
 *   run; the other lines show as the output until the cell runs.
 * @attr continuation-prompt - Prompt of a transcript's continuation lines (default `... `).
 * @attr language - Language for highlighting (default: the kernel's).
 * @attr readonly - The code cannot be edited.
 * @attr setup - Runs before any other cell whenever its session gets a new kernel, and in a
 *   reused kernel (an earlier page load's) where it has not run yet.
 * @attr hidden - Keeps the cell off the page (a hidden setup cell still runs).
 * @attr autorun - Runs as the page loads (launching its session), in page order.
 * @attr code-hidden - Shows the outputs (and the status line) only: no code, no buttons.
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
 * @csspart log-button - Opens the launch's build log (while launching, or after it failed).
 * @csspart log - The build log.
 * @csspart input - The answer field for `input()`.
 * @csspart outputs - The outputs.
 * @csspart output - Each output, also named by its kind: `stream`, `error`, `html`, `image`,
 *   `text`, `markdown`, `latex`, `json`, `javascript`, `widget`, `plot`.
 * @csspart note - A note on an output this page does not show whole: an HTML output whose
 *   scripts do not run, a plot not drawn without `allow-javascript`. *
 * @cssprop --binder-cell-font - Font of the code and text outputs.
 * @cssprop --binder-cell-font-size - Size of the code and text outputs.
 * @cssprop --binder-cell-line-height - Line height of the code (static and in the editor).
 * @cssprop --binder-cell-background - The cell's background.
 * @cssprop --binder-cell-foreground - The cell's text.
 * @cssprop --binder-cell-muted - Status line, execution count.
 * @cssprop --binder-cell-border - Frame and buttons.
 * @cssprop --binder-cell-radius - Corners of the frame and buttons.
 * @cssprop --binder-cell-accent - Buttons, focus rings, links.
 * @cssprop --binder-cell-accent-text - Text on accent-coloured buttons.
 * @cssprop --binder-cell-error - Problems in the status line, tracebacks.
 * @cssprop --binder-cell-output-background - The outputs.
 * @cssprop --binder-cell-code-keyword - Highlighted keywords.
 * @cssprop --binder-cell-code-string - Highlighted strings.
 * @cssprop --binder-cell-code-number - Highlighted numbers.
 * @cssprop --binder-cell-code-comment - Highlighted comments.
 * @cssprop --binder-cell-code-function - Highlighted function names.
 */
export class BinderCell extends LitElement {
  static override styles = [styles, ansiStyles, exactColours];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    readonly: { type: Boolean, reflect: true },
    language: { type: String },
    setup: { type: Boolean, reflect: true },
    autorun: { type: Boolean, reflect: true },
    codeHidden: { type: Boolean, reflect: true, attribute: 'code-hidden' },
  };

  declare readonly: boolean;
  declare language: string | undefined;
  declare setup: boolean;
  declare autorun: boolean;
  declare codeHidden: boolean;

  /** The code this cell runs: its content at first, then what the reader typed. */
  code = '';

  private readonly controller = new CellController(
    this,
    () => this.code,
    () => this.setup,
    () => this.transcript,
  );
  /** Whether the code came from a console transcript (see `in-prompt`). */
  private transcript = false;
  private readonly editorMount = document.createElement('div');
  private editor: EditorView | undefined;
  private editorLoading: Promise<EditorView> | undefined;
  /** Set when a pointer went down on the static code: resolves when it comes up. */
  private pointerUp: Promise<void> | undefined;
  /** The static code's highlighting, for the code it was made for. */
  private highlighted: { code: string; tokens: readonly Token[] } | undefined;

  constructor() {
    super();
    this.readonly = false;
    this.setup = false;
    this.autorun = false;
    this.codeHidden = false;
    this.addEventListener(SessionRequestEvent.type, (event) => {
      event.stopPropagation();
      (event as SessionRequestEvent).session = this.session;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller.session?.removeEventListener('log', this.onLog);
  }

  /** The session this cell runs in (shared with every cell of the same settings). */
  get session(): KernelSession | undefined {
    return this.controller.session;
  }

  override connectedCallback(): void {
    if (!this.editor) this.readSource();
    super.connectedCallback();
  }

  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    if (this.controller.settings?.editor === 'eager') void this.loadEditor(false);
    // A page whose highlighter cannot load shows its code plain.
    this.highlightCode().catch(() => undefined);
    if (this.autorun) void this.run();
  }

  /**
   * The code to run; from a transcript (see `in-prompt`), only its prompted lines, and
   * its other lines become the cell's pre-rendered output unless it has one.
   */
  private readSource(): void {
    const text = readCode(this);
    const prompts = promptsOf(this);
    const transcript = prompts && stripPrompts(text, prompts);
    this.code = transcript?.code ?? text;
    this.transcript = transcript !== undefined;
    if (transcript?.output && !this.querySelector(':scope > [slot="output"]')) {
      const output = document.createElement('pre');
      output.slot = 'output';
      output.textContent = transcript.output;
      this.append(output);
    }
  }

  private get editorLanguage(): string {
    return editorLanguage(this.language ?? null, this.controller.settings?.kernel);
  }

  /** Highlights the static code with the editor's parsers and classes (one chunk for all cells). */
  private async highlightCode(): Promise<void> {
    const { code } = this;
    const { highlight } = await import('../../editor/highlight.js');
    const tokens = await highlight(code, this.editorLanguage);
    if (!tokens) return;
    this.highlighted = { code, tokens };
    this.requestUpdate();
  }

  /** The outputs shown (after a run; pre-rendered ones are the `slot="output"` children). */
  get outputs(): readonly Output[] {
    return this.controller.outputs.outputs;
  }

  /** The kernel's execution count of the last run (`[3]`); null before the cell ran. */
  get executionCount(): number | null {
    return this.controller.executionCount;
  }

  /** Whether the cell has run (its pre-rendered outputs have given way). */
  get ran(): boolean {
    return this.controller.ran;
  }

  /** Runs the cell, launching its session first if needed. */
  run(): Promise<void> {
    return this.controller.run();
  }

  /** Interrupts the kernel while this cell is queued or running (`KeyboardInterrupt`). */
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
      language: this.editorLanguage,
      readOnly: this.readonly,
      label: 'Code',
      onChange: (code) => (this.code = code),
      onRun: (advance) => this.runFromKeyboard(advance),
      selection: () => this.readerSelection(),
    });
    this.editor = editor;
    this.requestUpdate();
    await this.updateComplete;
    return editor;
  }

  /**
   * Where the reader clicked or dragged in the static code, once the pointer is up; none when
   * the code was focused from the keyboard (the caret starts at the beginning then).
   */
  private async readerSelection(): Promise<CodeSelection | undefined> {
    if (!this.pointerUp) return undefined;
    await this.pointerUp;
    const root = this.shadowRoot as ShadowRoot;
    const code = root.querySelector('.code > pre > code');
    return code ? selectionIn(root, code) : undefined;
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

  private readonly onOutputSlotChange = () => {
    if (this.hasOutputs()) adoptNestedOutputStyles();
    this.requestUpdate();
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
                  @pointerdown=${() => (this.pointerUp = pointerReleased())}
                  @focus=${this.onCodeFocus}
                ><code>${this.renderCode()}</code></pre>`
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
        ${this.renderLog()} ${this.renderInput()}
        <div part="outputs" class="outputs ${this.hasOutputs() ? '' : 'empty'}">
          ${
            controller.ran
              ? controller.outputs.outputs.map(renderOutput)
              : html`<slot name="output" @slotchange=${this.onOutputSlotChange}></slot>`
          }
        </div>
      </div>
    `;
  }

  private renderCode() {
    const { highlighted } = this;
    if (highlighted?.code !== this.code) return this.code;
    return highlighted.tokens.map(([text, classes]) =>
      classes ? html`<span class=${classes}>${text}</span>` : text,
    );
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
      (sessionState === 'ready' ||
        sessionState === 'dead' ||
        sessionState === 'disconnected' ||
        sessionState === 'ended');
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
      ${this.renderLogButton()}
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
    const log = this.shadowRoot?.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
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
    if (controller.state === 'waiting') return { text: launchLine(status), problem: false };
    if (controller.state === 'queued')
      return { text: 'Queued behind other cells…', problem: false };
    if (controller.state === 'running') return { text: 'Running…', problem: false };
    if (status.state === 'failed') return { text: status.message, problem: true };
    // What happened to this cell's last run says more than the session's state.
    if (controller.runError) return { text: controller.runError, problem: true };
    if (status.state === 'dead' || status.state === 'disconnected') {
      return { text: status.message, problem: true };
    }
    return { text: status.message === READY_MESSAGE ? '' : status.message, problem: false };
  }

  /** Whether there is anything to show below the code (no empty strip otherwise). */
  private hasOutputs(): boolean {
    const { controller } = this;
    if (controller.ran) return controller.outputs.outputs.length > 0;
    return this.querySelector(':scope > [slot="output"]') !== null;
  }

  private showLog = false;
  private readonly onLog = () => this.requestUpdate();

  /** The launch log, one click away while a launch runs or after it failed. */
  private logSession(): KernelSession | undefined {
    const { controller } = this;
    const session = controller.session;
    const launching = controller.state === 'waiting' || session?.status.state === 'failed';
    return session && controller.used && launching && session.log.length > 0 ? session : undefined;
  }

  private renderLogButton() {
    const session = this.logSession();
    if (!session) return nothing;
    return html`<button
      part="log-button"
      type="button"
      class="secondary"
      aria-expanded=${this.showLog ? 'true' : 'false'}
      aria-controls="log"
      @click=${() => this.toggleLog(session)}
    >
      ${this.showLog ? 'Hide log' : 'Log'}
    </button>`;
  }

  private toggleLog(session: KernelSession): void {
    this.showLog = !this.showLog;
    session[this.showLog ? 'addEventListener' : 'removeEventListener']('log', this.onLog);
    this.requestUpdate();
  }

  private renderLog() {
    const session = this.logSession();
    if (!this.showLog || !session) return nothing;
    return html`<pre part="log" id="log" class="log" role="log" aria-label="Launch log">
${session.log.join('\n')}</pre>`;
  }
}

/** Launches quicker than this need no clock. */
const SHOW_ELAPSED_AFTER_MS = 3000;

/**
 * What a waiting cell says: the launch phase, how far the build is, and the time taken so
 * far (against the last build's, when this browser saw one).
 */
function launchLine(status: SessionStatus): string {
  if (status.state !== 'launching' || status.launchStartedAt === undefined) {
    return status.message === READY_MESSAGE ? '' : status.message;
  }
  const progress = status.progress ? ` ${status.progress}` : '';
  const took = Date.now() - status.launchStartedAt;
  if (took < SHOW_ELAPSED_AFTER_MS) return `${status.message}${progress}`;
  const previous =
    status.previousLaunchMs === undefined
      ? ''
      : ` (last time ${formatDuration(status.previousLaunchMs)})`;
  return `${status.message}${progress} · ${formatDuration(took)}${previous}`;
}

/** `m:ss` for a duration in milliseconds. */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
