/**
 * Highlights the static code of cells before (and without) the editor: the same parsers
 * as the editor's languages and the same classes ({@link codeHighlighter}), so the code
 * keeps its colours when the editor takes over. Loaded right after the first cell
 * renders; each language's parser is its own chunk.
 */
import type { StreamParser } from '@codemirror/language';
import type { Parser } from '@lezer/common';
import { highlightCode } from '@lezer/highlight';
import { codeHighlighter } from './highlighter.js';

/** A run of code and its classes (`` for plain text); line breaks are runs of `\n`. */
export type Token = readonly [text: string, classes: string];

const PARSERS: Record<string, () => Promise<Parser>> = {
  python: () => import('@lezer/python').then(({ parser }) => parser),
  javascript: () => import('@lezer/javascript').then(({ parser }) => parser),
};

const STREAM_PARSERS: Record<string, () => Promise<StreamParser<unknown>>> = {
  r: () => import('@codemirror/legacy-modes/mode/r').then(({ r }) => r),
  julia: () => import('@codemirror/legacy-modes/mode/julia').then(({ julia }) => julia),
};

/**
 * The tokens of `code` in `language` (an editor language: `python`, `r`, `julia`,
 * `javascript`); undefined for a language without a parser.
 */
export async function highlight(code: string, language: string): Promise<Token[] | undefined> {
  const parser = await PARSERS[language]?.();
  if (parser) {
    const tokens: Token[] = [];
    highlightCode(
      code,
      parser.parse(code),
      codeHighlighter,
      (text, classes) => tokens.push([text, classes]),
      () => tokens.push(['\n', '']),
    );
    return tokens;
  }
  const streamParser = await STREAM_PARSERS[language]?.();
  if (!streamParser) return undefined;
  const { highlightStream } = await import('./stream-highlight.js');
  return highlightStream(code, streamParser, codeHighlighter);
}
