import type { ColourMode } from './graphic-rendition.js';
import { terminal } from './terminal-loader.js';

/**
 * Text with ANSI escape sequences (a traceback, a repr) as HTML, shown the way a
 * terminal shows it: escaped, with `ansi-*` classes, no style attributes (see ansi-html.ts);
 * colours past the 16 named ones exact, or the nearest theme colour with `'theme'`.
 * @throws Error before the terminal code loaded (see terminal-loader.ts).
 */
export function ansiToHtml(text: string, colours: ColourMode = 'exact'): string {
  return terminal().ansiToHtml(text, colours);
}
