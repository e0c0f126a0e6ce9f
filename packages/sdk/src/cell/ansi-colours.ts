/**
 * Exact ANSI colours (xterm's 256-colour palette past its first 16 entries, and 24-bit
 * colours) as classes. A strict CSP blocks style attributes, so each colour a stream
 * uses gets one class, defined once in a sheet that every cell adopts.
 */
export type ColourRole = 'fg' | 'bg';

/** One rule per exact colour shown so far; rules added later apply at once. */
export const exactColours = new CSSStyleSheet();

/**
 * Past this many colours, a new one takes the nearest colour of xterm's 6x6x6 cube, so
 * a program printing endless gradients adds at most 432 more rules.
 */
const MAX_EXACT = 4096;
const CUBE = [0, 95, 135, 175, 215, 255];

const defined = new Set<string>();

/**
 * The class that gives text (`fg`) or its background (`bg`) the colour `hex`
 * (`#rrggbb`), by setting `--ansi-fg` or `--ansi-bg` (see ansi.styles.ts).
 */
export function exactColourClass(hex: string, role: ColourRole): string {
  const colour = defined.size < MAX_EXACT ? hex : nearestCubeColour(hex);
  const name = `ansi-${role}-${colour.slice(1)}`;
  if (!defined.has(name)) {
    defined.add(name);
    exactColours.insertRule(
      `.${name} { --ansi-${role}: ${colour}; }`,
      exactColours.cssRules.length,
    );
  }
  return name;
}

function nearestCubeColour(hex: string): string {
  const channels = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  const nearest = channels.map((value) =>
    CUBE.reduce((best, level) => (Math.abs(level - value) < Math.abs(best - value) ? level : best)),
  );
  return `#${nearest.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}
