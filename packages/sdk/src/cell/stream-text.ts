import { GraphicRendition } from './graphic-rendition.js';
import type { ColourMode } from './graphic-rendition.js';
import { LineStore, lineText } from './line-store.js';
import type { Line, LineStoreLimits, StyleRun } from './line-store.js';

export interface StreamLimits extends LineStoreLimits {
  /** Characters a line keeps; more are dropped, as at a terminal's right margin. */
  maxLineChars: number;
}

/**
 * What a stream keeps: 2 million characters of finished lines (the first 50 lines and
 * the latest ones), and lines of up to 100,000 characters.
 */
export const STREAM_LIMITS: StreamLimits = {
  headLines: 50,
  maxChars: 2_000_000,
  maxLineChars: 100_000,
};

/* eslint-disable no-control-regex -- control characters and escape sequences are what this reads */
/** Control characters (all but tab) and DEL: each ends a run of printable text. */
const CONTROL = /[\0-\x08\n-\x1f\x7f]/g;
const CSI = /\x1b\[([0-?]*)([ -/]*)([@-~])/y;
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]/y;
/** An escape sequence cut off by the end of a chunk: the next chunk finishes it. */
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[ -/]*)$/y;
/* eslint-enable no-control-regex */
const MAX_UNFINISHED = 4096;

/**
 * Stream text as a terminal shows it. `\r` returns to the start of the line and later
 * text overwrites, `\b` moves back one character, `\n` ends the line (so `\r\n` is one
 * newline); escape sequences take no room: SGR colours and styles stay with the
 * characters written under them, `ESC[K` erases in the line, `ESC[<n>G` moves to a
 * column, and the others (cursor moves across lines, OSC) are dropped. Finished lines
 * go to a bounded store (see STREAM_LIMITS); chunks may split lines and sequences anywhere.
 */
export class StreamText {
  readonly lines: LineStore;
  /** Characters dropped from lines longer than `maxLineChars`. */
  cutChars = 0;
  /** Changes with every write. */
  version = 0;
  private readonly rendition: GraphicRendition;
  private chars: string[] = [];
  private classes: string[] = [];
  private cursor = 0;
  private unfinished = '';
  private joined: string | undefined;

  constructor(
    private readonly limits: StreamLimits = STREAM_LIMITS,
    colours: ColourMode = 'exact',
  ) {
    this.lines = new LineStore(limits);
    this.rendition = new GraphicRendition(colours);
  }

  /** The kept text: finished lines, each with its newline, then the current line. */
  get text(): string {
    if (this.joined === undefined) {
      const finished = this.lines.slice(0, this.lines.count).map(lineText);
      this.joined = finished.map((line) => `${line}\n`).join('') + this.chars.join('');
    }
    return this.joined;
  }

  /** The line the cursor is on, not finished yet ('' when empty). */
  get current(): Line {
    return toLine(this.chars, this.classes);
  }

  write(chunk: string): void {
    const text = this.unfinished + chunk;
    this.unfinished = '';
    this.version += 1;
    this.joined = undefined;
    let at = 0;
    CONTROL.lastIndex = 0;
    for (let match = CONTROL.exec(text); match; match = CONTROL.exec(text)) {
      const control = match[0];
      const printable = text.slice(at, match.index);
      at = match.index + 1;
      if (control === '\n' && this.chars.length === 0 && this.cursor === 0) {
        // A whole line written at once, the usual case by far, goes to the store as it is.
        this.lines.push(this.styled(this.cut(printable)));
        continue;
      }
      this.print(printable);
      if (control === '\x1b') {
        at = this.escape(text, match.index);
        if (at < 0) return;
        CONTROL.lastIndex = at;
      } else if (control === '\n') {
        this.endLine();
      } else if (control === '\r') {
        this.cursor = 0;
      } else if (control === '\b') {
        this.cursor = Math.max(0, this.cursor - 1);
      }
    }
    this.print(text.slice(at));
  }

  /** Writes printable text at the cursor. */
  private print(text: string): void {
    for (const char of text) this.put(char);
  }

  private styled(text: string): Line {
    const { classes } = this.rendition;
    return classes && text ? { text, runs: [{ end: text.length, classes }] } : text;
  }

  private put(char: string): void {
    if (this.cursor >= this.limits.maxLineChars) {
      this.cutChars += 1;
      return;
    }
    while (this.chars.length < this.cursor) {
      this.chars.push(' ');
      this.classes.push('');
    }
    this.chars[this.cursor] = char;
    this.classes[this.cursor] = this.rendition.classes;
    this.cursor += 1;
  }

  /** `text`, cut to `maxLineChars` characters. */
  private cut(text: string): string {
    if (text.length <= this.limits.maxLineChars) return text;
    const kept = [...text.slice(0, this.limits.maxLineChars * 2)]
      .slice(0, this.limits.maxLineChars)
      .join('');
    this.cutChars += [...text].length - [...kept].length;
    return kept;
  }

  private endLine(): void {
    this.lines.push(toLine(this.chars, this.classes));
    this.chars = [];
    this.classes = [];
    this.cursor = 0;
  }

  /** Handles the escape sequence at `at`; returns where the text goes on, or -1 at its end. */
  private escape(text: string, at: number): number {
    for (const pattern of [CSI, OSC]) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (!match) continue;
      if (match[3]) this.controlSequence(match[1] ?? '', match[2] ?? '', match[3]);
      return pattern.lastIndex;
    }
    UNFINISHED.lastIndex = at;
    if (text.length - at <= MAX_UNFINISHED && UNFINISHED.test(text)) {
      this.unfinished = text.slice(at);
      return -1;
    }
    OTHER_ESCAPE.lastIndex = at;
    return OTHER_ESCAPE.test(text) ? OTHER_ESCAPE.lastIndex : at + 1;
  }

  private controlSequence(params: string, intermediates: string, final: string): void {
    if (intermediates) return;
    if (final === 'm') {
      if (/^[\d;]*$/.test(params)) this.rendition.apply(params);
    } else if (final === 'K') {
      this.eraseInLine(params);
    } else if (final === 'G') {
      this.cursor = Math.max(0, (Number.parseInt(params, 10) || 1) - 1);
    }
  }

  /** `ESC[K` or `ESC[0K`: to the end of the line; `1`: to the cursor; `2`: all of it. */
  private eraseInLine(params: string): void {
    const mode = params || '0';
    if (mode === '0') {
      this.chars.length = Math.min(this.chars.length, this.cursor);
      this.classes.length = this.chars.length;
    } else if (mode === '1') {
      const end = Math.min(this.chars.length, this.cursor + 1);
      this.chars.fill(' ', 0, end);
      this.classes.fill('', 0, end);
    } else if (mode === '2') {
      this.chars = [];
      this.classes = [];
    }
  }
}

/** One character per cell and its classes, as a line with runs of equal classes. */
function toLine(chars: readonly string[], classes: readonly string[]): Line {
  const text = chars.join('');
  if (classes.every((name) => name === '')) return text;
  const runs: StyleRun[] = [];
  let end = 0;
  classes.forEach((name, index) => {
    end += (chars[index] as string).length;
    const last = runs.at(-1);
    if (last && last.classes === name) last.end = end;
    else runs.push({ end, classes: name });
  });
  return { text, runs };
}
