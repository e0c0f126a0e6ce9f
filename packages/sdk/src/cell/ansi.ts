import { AnsiUp } from 'ansi_up';

/** The 16 ANSI colours by ansi_up's class names, at xterm's values. */
const PALETTE: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['black', [0, 0, 0]],
  ['red', [187, 0, 0]],
  ['green', [0, 187, 0]],
  ['yellow', [187, 187, 0]],
  ['blue', [0, 0, 187]],
  ['magenta', [187, 0, 187]],
  ['cyan', [0, 187, 187]],
  ['white', [255, 255, 255]],
  ['bright-black', [85, 85, 85]],
  ['bright-red', [255, 85, 85]],
  ['bright-green', [0, 255, 0]],
  ['bright-yellow', [255, 255, 85]],
  ['bright-blue', [85, 85, 255]],
  ['bright-magenta', [255, 85, 255]],
  ['bright-cyan', [85, 255, 255]],
];

const TEXT_STYLES: Record<string, string> = {
  'font-weight:bold': 'ansi-bold',
  'opacity:0.7': 'ansi-faint',
  'font-style:italic': 'ansi-italic',
  'text-decoration:underline': 'ansi-underline',
};

/**
 * Escapes text for HTML and turns ANSI codes into `ansi-*` classed spans. Only classes:
 * ansi_up's inline styles (bold, 256 colours) become classes too, as a strict CSP blocks
 * style attributes, and the cell's stylesheet keeps every colour readable in its theme.
 */
export function ansiToHtml(text: string): string {
  // A fresh converter per text: AnsiUp carries unclosed colours from one call to the next.
  const converter = new AnsiUp();
  converter.use_classes = true;
  return converter
    .ansi_to_html(text)
    .replace(/<span style="([^"]*)"(?: class="([^"]*)")?>/g, (_, style: string, classes = '') => {
      const names = [classes, ...style.split(';').map(styleClass)].filter(Boolean);
      return `<span class="${names.join(' ')}">`;
    });
}

function styleClass(declaration: string): string {
  const colour = /^(color|background-color):rgb\((\d+),(\d+),(\d+)\)$/.exec(declaration);
  if (!colour) return TEXT_STYLES[declaration] ?? '';
  const rgb = colour.slice(2).map(Number);
  const distance = ([, value]: (typeof PALETTE)[number]) =>
    value.reduce((sum, channel, index) => sum + (channel - (rgb[index] ?? 0)) ** 2, 0);
  const [name] = PALETTE.reduce((best, entry) => (distance(entry) < distance(best) ? entry : best));
  return `ansi-${name}-${colour[1] === 'color' ? 'fg' : 'bg'}`;
}
