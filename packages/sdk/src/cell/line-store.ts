/** A run of a styled line: its text ends at `end` (a UTF-16 index) and has `classes`. */
export interface StyleRun {
  end: number;
  classes: string;
}

/** A finished line of a stream: plain text, or text with the classes of its runs. */
export type Line = string | { text: string; runs: readonly StyleRun[] };

export const lineText = (line: Line): string => (typeof line === 'string' ? line : line.text);

export interface LineStoreLimits {
  /** Lines kept from the start of the stream, whatever follows. */
  headLines: number;
  /** Characters kept in all: past it, the oldest lines after the head go. */
  maxChars: number;
}

/**
 * The finished lines of a stream, bounded: the first `headLines`, then as many of the
 * latest as fit in `maxChars`; lines in between are dropped and counted. Lines are
 * numbered from 0 in the order written, dropped ones included.
 */
export class LineStore {
  /** Lines dropped between the head and the tail. */
  dropped = 0;
  private readonly head: Line[] = [];
  private tail: Line[] = [];
  /** Index in `tail` of its first kept line (dropping shifts no array). */
  private tailStart = 0;
  private chars = 0;

  constructor(private readonly limits: LineStoreLimits) {}

  /** Lines written so far, dropped ones included. */
  get count(): number {
    return this.head.length + this.dropped + this.tail.length - this.tailStart;
  }

  push(line: Line): void {
    const size = lineText(line).length + 1;
    const { headLines, maxChars } = this.limits;
    this.chars += size;
    if (this.tail.length === 0 && this.head.length < headLines && this.chars <= maxChars / 2) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    while (this.chars > maxChars && this.tailStart < this.tail.length - 1) {
      this.chars -= lineText(this.tail[this.tailStart] as Line).length + 1;
      this.tailStart += 1;
      this.dropped += 1;
    }
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  /** The kept lines numbered `from` (inclusive) to `to` (exclusive). */
  slice(from: number, to: number): Line[] {
    const start = Math.max(0, from);
    const afterHead = this.head.length + this.dropped;
    const lines = this.head.slice(start, Math.min(to, this.head.length));
    if (to <= afterHead) return lines;
    const tailFrom = this.tailStart + Math.max(0, start - afterHead);
    return lines.concat(this.tail.slice(tailFrom, this.tailStart + to - afterHead));
  }

  /** Number of the first line after the head (where dropped lines were). */
  get headCount(): number {
    return this.head.length;
  }
}
