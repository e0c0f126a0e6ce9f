import { html, noChange, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective } from 'lit/async-directive.js';
import type { Part } from 'lit/directive.js';
import { directive } from 'lit/directive.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { lineHtml } from './ansi-html.js';
import type { Line } from './line-store.js';
import type { StreamText } from './stream-text.js';

/** Of a long stream, its first and last lines are shown until the reader asks for all. */
const HEAD_LINES = 50;
const TAIL_LINES = 50;
/** Fewer hidden lines than this are shown instead. */
const MIN_HIDDEN = 20;
/** Characters of a line shown until the reader asks for all. */
const LINE_CHARS = 5_000;
/** Lines per block of a stream shown whole: a block renders again only when it changes. */
const BLOCK_LINES = 1_000;

const count = new Intl.NumberFormat();
const plural = (n: number, one: string, many: string) =>
  `${count.format(n)} ${n === 1 ? one : many}`;

interface Block {
  key: string;
  html: string;
}

class StreamView extends AsyncDirective {
  private stream: StreamText | undefined;
  private expanded = false;
  /** The stream version and view last rendered. */
  private rendered: string | undefined;
  /** HTML of blocks of finished lines, by key: those of the last render. */
  private blocks = new Map<string, string>();
  private previousBlocks = new Map<string, string>();

  render(stream: StreamText): TemplateResult {
    this.rendered = `${stream.version}:${this.expanded}`;
    this.previousBlocks = this.blocks;
    this.blocks = new Map();
    const total = stream.lines.count + (stream.current === '' ? 0 : 1);
    if (this.expanded) return this.whole(stream);
    const hidden = total - HEAD_LINES - TAIL_LINES;
    return hidden < MIN_HIDDEN && !stream.lines.dropped
      ? this.short(stream)
      : this.long(stream, Math.max(0, hidden));
  }

  override update(_part: Part, [stream]: [StreamText]): unknown {
    if (stream !== this.stream) {
      this.stream = stream;
      this.expanded = false;
      this.blocks = new Map();
    } else if (this.rendered === `${stream.version}:${this.expanded}`) {
      return noChange;
    }
    return this.render(stream);
  }

  private readonly showAll = () => {
    this.expanded = true;
    if (this.stream) this.setValue(this.render(this.stream));
  };

  /** Every line, cut at LINE_CHARS. */
  private short(stream: StreamText): TemplateResult {
    const shown = linesHtml(
      [...stream.lines.slice(0, stream.lines.count), stream.current],
      true,
      LINE_CHARS,
    );
    return html`<pre>${unsafeHTML(shown.html)}</pre>
      ${shown.cut ? this.bar('Long lines are cut short.') : nothing}`;
  }

  /** The first and last lines, cut at LINE_CHARS, and the number hidden between. */
  private long(stream: StreamText, hidden: number): TemplateResult {
    const { lines } = stream;
    // Finished lines never change, but a store whose head is short drops the lines after it.
    const headKey = lines.headCount >= HEAD_LINES ? 'head' : `head:${lines.dropped}`;
    const head = this.block(
      headKey,
      () => linesHtml(lines.slice(0, HEAD_LINES), false, LINE_CHARS).html,
    );
    const fromEnd = stream.current === '' ? TAIL_LINES : TAIL_LINES - 1;
    const tail = linesHtml(
      [...lines.slice(lines.count - fromEnd, lines.count), stream.current],
      true,
      LINE_CHARS,
    );
    const dropped = lines.dropped ? `; ${plural(lines.dropped, 'was', 'were')} not kept` : '';
    return html`<pre>${unsafeHTML(head)}</pre>
      ${this.bar(`⋯ ${plural(hidden, 'line', 'lines')} hidden${dropped}.`)}
      <pre>${unsafeHTML(tail.html)}</pre>`;
  }

  /** Every line kept, in blocks that render again only when they change. */
  private whole(stream: StreamText): TemplateResult {
    const { lines } = stream;
    const head = this.blocksOf(stream, 0, lines.headCount);
    const tail = this.blocksOf(stream, lines.headCount + lines.dropped, lines.count);
    const dropped = lines.dropped
      ? html`<p class="truncation">
          ⋯ ${plural(lines.dropped, 'line was', 'lines were')} not kept: a stream keeps its first
          lines and its latest.
        </p>`
      : nothing;
    const cut = stream.cutChars
      ? html`<p class="truncation">
          ${plural(stream.cutChars, 'character', 'characters')} of over-long lines were not kept.
        </p>`
      : nothing;
    return html`${head.length ? html`<pre>${renderBlocks(head)}</pre>` : nothing} ${dropped}
      <pre>${renderBlocks(tail)}${unsafeHTML(lineHtml(stream.current).html)}</pre>
      ${cut}`;
  }

  /** Lines `from` to `to` in blocks aligned on BLOCK_LINES, so that finished ones stay the same. */
  private blocksOf(stream: StreamText, from: number, to: number): Block[] {
    const blocks: Block[] = [];
    for (let first = from; first < to;) {
      const end = Math.min(to, (Math.floor(first / BLOCK_LINES) + 1) * BLOCK_LINES);
      const [start, key] = [first, `${first}-${end}`];
      blocks.push({
        key,
        html: this.block(key, () => linesHtml(stream.lines.slice(start, end), false).html),
      });
      first = end;
    }
    return blocks;
  }

  private bar(text: string): TemplateResult {
    return html`<p class="truncation">
      ${text}
      <button type="button" class="secondary" @click=${this.showAll}>Show all</button>
    </p>`;
  }

  /** A block's HTML, made once. */
  private block(key: string, make: () => string): string {
    const made = this.previousBlocks.get(key) ?? make();
    this.blocks.set(key, made);
    return made;
  }
}

/**
 * A stream's lines. A long stream shows its first 50 and last 50 lines (lines cut at
 * 5,000 characters) and how many are hidden, with a button that shows every line kept.
 */
export const streamView = directive(StreamView);

/** Blocks as elements of their own, which the page lays out only when they are in view. */
const renderBlocks = (blocks: Block[]) =>
  repeat(
    blocks,
    (block) => block.key,
    (block) => html`<span class="block">${unsafeHTML(block.html)}</span>`,
  );

/**
 * Lines as HTML, each finished one with its newline; with `endsWithCurrent`, the last
 * is the unfinished line under the cursor. Lines are cut at `limit` characters.
 */
function linesHtml(
  lines: Line[],
  endsWithCurrent: boolean,
  limit = Infinity,
): { html: string; cut: number } {
  let cut = 0;
  const parts = lines.map((line, index) => {
    const shown = lineHtml(line, limit);
    cut += shown.cut;
    const newline = endsWithCurrent && index === lines.length - 1 ? '' : '\n';
    return shown.cut ? `${shown.html}<span class="cut">…</span>${newline}` : shown.html + newline;
  });
  return { html: parts.join(''), cut };
}
