import type { KernelMessage } from '@jupyterlab/services';
import type { HtmlNeeds } from './html-needs.js';
import { htmlSupport } from './html-support.js';
import { BOKEHJS_EXEC_MIME, BOKEHJS_LOAD_MIME, PLOT_MIMES } from './plot-mimes.js';
import { rememberSent, sentDisplay } from './sent-outputs.js';
import type { SentDisplay } from './sent-outputs.js';
import { streamOutput } from './stream-output.js';
import type { StreamOutput } from './stream-output.js';

/** One output of a cell, ready to render. */
export type Output =
  StreamOutput | { kind: 'error'; ename: string; evalue: string; traceback: string[] } | DataOutput;

/** A display: the one representation of a mime bundle that will be shown. */
export interface DataOutput {
  kind: 'data';
  mime: string;
  /**
   * Plain text, sanitised HTML, an image `data:` URL, or a plot's JSON (for Bokeh, the
   * JavaScript it sends, which is read and never run).
   */
  value: string;
  /**
   * HTML left as the kernel sent it, scripts included: only on pages that allow
   * JavaScript, as a trusted notebook shows it.
   */
  trusted?: boolean;
  /**
   * The CSS of sanitised HTML's `<style>` elements, taken out before sanitising (see
   * inline-css.ts); the cell adopts it as a constructed stylesheet.
   */
  css?: string;
  /**
   * What sanitised HTML lost that it needs to show itself (its scripts, or embedded
   * pages): the output says so, for readers and the page's author.
   */
  needs?: HtmlNeeds;
  /**
   * A text description (the bundle's text/plain): an image's alt text, and what a widget
   * or a plot shows until it is drawn.
   */
  alt?: string;
  displayId?: string;
}

export type MimeBundle = Record<string, unknown>;

export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';

/**
 * Representations in order of preference; the first one a bundle has is shown. Plots
 * come before HTML and JavaScript, as in JupyterLab: their renderers need neither.
 */
export const MIME_PRIORITY = [
  WIDGET_VIEW_MIME,
  ...PLOT_MIMES,
  'application/javascript',
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/markdown',
  'text/latex',
  'application/json',
  'text/plain',
] as const;

/** Outputs that show their text/plain until they are drawn (or when they cannot be). */
const SHOWS_ALT = new Set<string>([WIDGET_VIEW_MIME, ...PLOT_MIMES]);

export interface SelectOptions {
  /** Makes kernel HTML safe to show. */
  sanitize: (html: string) => string;
  /** Whether the page runs `application/javascript` outputs. */
  allowJavascript: boolean;
}

/** Picks what to show from a mime bundle; undefined when it has nothing this SDK can show. */
export function selectData(
  bundle: MimeBundle,
  { sanitize, allowJavascript }: SelectOptions,
): Omit<DataOutput, 'kind'> | undefined {
  const mime = MIME_PRIORITY.find(
    (type) => bundle[type] !== undefined && (type !== 'application/javascript' || allowJavascript),
  );
  if (!mime) return undefined;
  const raw = bundle[mime];
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const alt = typeof bundle['text/plain'] === 'string' ? bundle['text/plain'] : undefined;
  switch (mime) {
    case 'text/html': {
      // The runtime provides the reader; without it (never, in practice), HTML is only sanitised.
      const reading = htmlSupport()?.read(text) ?? { kind: 'html', html: text, css: '' };
      if (reading.kind === 'placeholder') return undefined;
      if (reading.kind === 'chart') {
        return { mime: reading.mime, value: reading.value, ...(alt ? { alt } : {}) };
      }
      if (allowJavascript) return { mime, value: text, trusted: true };
      const { html, css, needs } = reading;
      return { mime, value: sanitize(html), ...(css ? { css } : {}), ...(needs ? { needs } : {}) };
    }
    case BOKEHJS_LOAD_MIME:
    case BOKEHJS_EXEC_MIME: {
      const javascript = bundle['application/javascript'];
      return { mime, value: typeof javascript === 'string' ? javascript : '' };
    }
    case 'image/svg+xml':
      return {
        mime,
        value: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`,
        ...(alt ? { alt } : {}),
      };
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
      return {
        mime,
        value: `data:${mime};base64,${text.replace(/\s/g, '')}`,
        ...(alt ? { alt } : {}),
      };
    default:
      return { mime, value: text, ...(alt && SHOWS_ALT.has(mime) ? { alt } : {}) };
  }
}

/**
 * A cell's outputs, kept the way Jupyter front ends keep them: consecutive stream
 * text merges, `clear_output(wait=True)` clears when the next output arrives, and
 * `update_display_data` replaces displays in place.
 */
export class OutputModel {
  outputs: Output[] = [];
  private clearOnNext = false;

  clear(): void {
    this.outputs = [];
    this.clearOnNext = false;
  }

  /** Applies one IOPub message; returns true when the outputs changed. */
  apply(message: KernelMessage.IIOPubMessage, options: SelectOptions): boolean {
    const { content } = message;
    switch (message.header.msg_type) {
      case 'stream': {
        const { name, text } = content as KernelMessage.IStreamMsg['content'];
        this.flushPendingClear();
        const last = this.outputs.at(-1);
        if (last?.kind === 'stream' && last.name === name) last.stream.write(text);
        else this.outputs = [...this.outputs, streamOutput(name, text)];
        return true;
      }
      case 'execute_result':
      case 'display_data': {
        const { data, metadata, transient } = content as KernelMessage.IDisplayDataMsg['content'];
        const selected = selectData(data, options);
        const cleared = this.flushPendingClear();
        if (!selected) return cleared;
        const displayId = transient?.display_id;
        const output: Output = { kind: 'data', ...selected, ...(displayId ? { displayId } : {}) };
        const executionCount = (content as { execution_count?: number }).execution_count;
        rememberSent(
          output,
          message.header.msg_type === 'execute_result'
            ? {
                output_type: 'execute_result',
                data,
                metadata,
                execution_count: executionCount ?? null,
              }
            : { output_type: 'display_data', data, metadata },
        );
        this.outputs = [...this.outputs, output];
        return true;
      }
      case 'update_display_data':
        return this.updateDisplay(message, options);
      case 'error': {
        const { ename, evalue, traceback } = content as KernelMessage.IErrorMsg['content'];
        this.flushPendingClear();
        this.outputs = [...this.outputs, { kind: 'error', ename, evalue, traceback }];
        return true;
      }
      case 'clear_output': {
        const { wait } = content as KernelMessage.IClearOutputMsg['content'];
        if (wait) {
          this.clearOnNext = true;
          return false;
        }
        const changed = this.outputs.length > 0;
        this.clear();
        return changed;
      }
      default:
        return false;
    }
  }

  /**
   * Gives the outputs showing a display (by its display_id) the data of a display or
   * update, whichever run it came from; adds nothing. Returns true when any changed.
   */
  updateDisplay(message: KernelMessage.IIOPubMessage, options: SelectOptions): boolean {
    const { data, metadata, transient } =
      message.content as KernelMessage.IUpdateDisplayDataMsg['content'];
    const displayId = transient?.display_id;
    const shown = (output: Output) => output.kind === 'data' && output.displayId === displayId;
    if (!displayId || !this.outputs.some(shown)) return false;
    const selected = selectData(data, options);
    if (!selected) return false;
    this.outputs = this.outputs.map((output) => {
      if (!shown(output)) return output;
      const updated: Output = { kind: 'data', ...selected, displayId };
      const before = sentDisplay(output);
      const display: SentDisplay =
        before?.output_type === 'execute_result'
          ? { ...before, data, metadata }
          : { output_type: 'display_data', data, metadata };
      rememberSent(updated, display);
      return updated;
    });
    return true;
  }

  /** Clears if `clear_output(wait=True)` came before; returns true when outputs went. */
  private flushPendingClear(): boolean {
    if (!this.clearOnNext) return false;
    const cleared = this.outputs.length > 0;
    this.clear();
    return cleared;
  }
}
