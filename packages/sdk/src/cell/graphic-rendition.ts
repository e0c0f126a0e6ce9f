import { createAnsiSequenceParser, createColorPalette, namedColors } from 'ansi-sequence-parser';
import type { Color, ColorName, DecorationType, ParseToken } from 'ansi-sequence-parser';
import { exactColourClass } from './ansi-colours.js';
import type { ColourRole } from './ansi-colours.js';

const DECORATION_CLASSES: Record<DecorationType, string> = {
  bold: 'ansi-bold',
  dim: 'ansi-faint',
  italic: 'ansi-italic',
  underline: 'ansi-underline',
  reverse: 'ansi-reverse',
  hidden: 'ansi-hidden',
  strikethrough: 'ansi-strikethrough',
  overline: 'ansi-overline',
};

/**
 * Colours as xterm shows them: the 16 named ones (for finding the nearest), palette
 * entries 16-255 (the 6x6x6 cube and 24 greys) and 24-bit colours.
 */
const palette = createColorPalette({
  black: '#000000',
  red: '#bb0000',
  green: '#00bb00',
  yellow: '#bbbb00',
  blue: '#0000bb',
  magenta: '#bb00bb',
  cyan: '#00bbbb',
  white: '#ffffff',
  brightBlack: '#555555',
  brightRed: '#ff5555',
  brightGreen: '#00ff00',
  brightYellow: '#ffff55',
  brightBlue: '#5555ff',
  brightMagenta: '#ff55ff',
  brightCyan: '#55ffff',
  brightWhite: '#ffffff',
});

/**
 * How colours past the 16 named ones show: `exact`ly, or as the nearest of the theme's
 * 16, which read at 4.5:1 on every output background in light and dark colours.
 */
export type ColourMode = 'exact' | 'theme';

/**
 * The graphic rendition (SGR) in force in a stream of text, read by ansi-sequence-parser
 * and given as the `ansi-*` classes of the text written next (see ansi.styles.ts).
 */
export class GraphicRendition {
  private readonly parser = createAnsiSequenceParser();
  /** Classes of text written now, space-separated; '' for plain text. */
  classes = '';

  constructor(private readonly colours: ColourMode = 'exact') {}

  /** Applies the parameters of one SGR sequence, `ESC [ <params> m`. */
  apply(params: string): void {
    // ECMA-48 reads an empty parameter as 0 (`ESC[m` resets); the parser would skip it.
    const normal = params
      .split(';')
      .map((param) => param || '0')
      .join(';');
    // The parser keeps its state between calls and reports it with the text that follows.
    const [token] = this.parser.parse(`\u001b[${normal}m `);
    this.classes = token ? classesOf(token, this.colours) : '';
  }
}

function classesOf({ foreground, background, decorations }: ParseToken, mode: ColourMode): string {
  const classes = [...decorations].map((decoration) => DECORATION_CLASSES[decoration]);
  const fg = foreground && colourClass(foreground, 'fg', mode);
  const bg = background && colourClass(background, 'bg', mode);
  if (fg) classes.push('ansi-fg', fg);
  if (bg) classes.push('ansi-bg', bg);
  return classes.join(' ');
}

/** The 16 named colours keep the theme's classes; the others follow `mode`. */
function colourClass(colour: Color, role: ColourRole, mode: ColourMode): string | undefined {
  const named =
    colour.type === 'named'
      ? colour.name
      : colour.type === 'table'
        ? namedColors[colour.index]
        : undefined;
  if (colour.type === 'table' && !named && !(colour.index >= 16 && colour.index <= 255)) {
    return undefined;
  }
  if (named) return themeClass(named, role);
  const hex = palette.value(colour);
  return mode === 'exact' ? exactColourClass(hex, role) : themeClass(nearestNamed(hex), role);
}

const themeClass = (name: ColorName, role: ColourRole) =>
  `ansi-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}-${role}`;

const channels = (hex: string) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));

function nearestNamed(hex: string): ColorName {
  const target = channels(hex);
  const distance = (name: ColorName) =>
    channels(palette.value({ type: 'named', name })).reduce(
      (sum, value, index) => sum + (value - (target[index] ?? 0)) ** 2,
      0,
    );
  return namedColors.reduce((best, name) => (distance(name) < distance(best) ? name : best));
}
