import type { ColourMode } from './graphic-rendition.js';
import type { Line } from './line-store.js';
import { StreamText } from './stream-text.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/**
 * A line as HTML: its text escaped, its styled runs in `<span class="ansi-...">`; never
 * a style attribute (see ansi.styles.ts and ansi-colours.ts). Text past `limit` UTF-16
 * units is left out; `cut` tells how many units were.
 */
export function lineHtml(line: Line, limit = Infinity): { html: string; cut: number } {
  const text = typeof line === 'string' ? line : line.text;
  let shown = Math.min(text.length, limit);
  // Not between the two halves of a surrogate pair.
  if (shown < text.length && /[\uD800-\uDBFF]/.test(text.charAt(shown - 1))) shown -= 1;
  const cut = text.length - shown;
  if (typeof line === 'string') return { html: escapeHtml(text.slice(0, shown)), cut };
  let html = '';
  let start = 0;
  for (const { end, classes } of line.runs) {
    const part = escapeHtml(text.slice(start, Math.min(end, shown)));
    html += classes && part ? `<span class="${classes}">${part}</span>` : part;
    start = end;
    if (start >= shown) break;
  }
  return { html, cut };
}

/**
 * Text with ANSI escape sequences (a traceback, a repr) as HTML, shown the way a
 * terminal shows it (see StreamText): escaped, with `ansi-*` classes, no style attributes;
 * colours past the 16 named ones as `colours` says.
 */
export function ansiToHtml(text: string, colours: ColourMode = 'exact'): string {
  const stream = new StreamText(undefined, colours);
  stream.write(text);
  const lines = stream.lines.slice(0, stream.lines.count);
  return [...lines.map((line) => `${lineHtml(line).html}\n`), lineHtml(stream.current).html].join(
    '',
  );
}
