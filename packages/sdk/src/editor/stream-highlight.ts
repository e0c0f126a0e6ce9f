/**
 * Highlighting with a CodeMirror 5-style stream parser (the legacy R and Julia modes)
 * without the editor: each line is tokenised as CodeMirror's `StreamLanguage` does, and
 * token names become tags as it reads them (`def` is `variableName.definition`, ...).
 */
import type { StreamParser } from '@codemirror/language';
import { StringStream } from '@codemirror/streamparser';
import { tags } from '@lezer/highlight';
import type { Highlighter, Tag } from '@lezer/highlight';
import type { Token } from './highlight.js';

/** The legacy token names `StreamLanguage` renames before reading them as tags. */
const LEGACY_NAMES: Record<string, string> = {
  variable: 'variableName',
  'variable-2': 'variableName.special',
  'string-2': 'string.special',
  def: 'variableName.definition',
  tag: 'tagName',
  attribute: 'attributeName',
  type: 'typeName',
  builtin: 'variableName.standard',
  qualifier: 'modifier',
  error: 'invalid',
  header: 'heading',
  property: 'propertyName',
};

const TAB_SIZE = 4;
const INDENT_UNIT = 2;

type TagOrModifier = Tag | ((tag: Tag) => Tag);

/** The tags of a token name: space-separated names, each a tag and its modifiers (`string.special`). */
function tagsOf(name: string): Tag[] {
  const found: Tag[] = [];
  for (const part of (LEGACY_NAMES[name] ?? name).split(' ')) {
    const [base, ...modifiers] = part
      .split('.')
      .map((word) => (tags as Record<string, TagOrModifier | undefined>)[word]);
    if (!base || typeof base === 'function') continue;
    found.push(
      modifiers.reduce<Tag>(
        (tag, modifier) => (typeof modifier === 'function' ? modifier(tag) : tag),
        base,
      ),
    );
  }
  return found;
}

/** Tokens of `code` as `parser` reads it, classed by `highlighter`. */
export function highlightStream(
  code: string,
  parser: StreamParser<unknown>,
  highlighter: Highlighter,
): Token[] {
  const state = parser.startState?.(INDENT_UNIT);
  const classes = new Map<string, string>();
  const classOf = (name: string) => {
    let known = classes.get(name);
    if (known === undefined) {
      known = highlighter.style(tagsOf(name)) ?? '';
      classes.set(name, known);
    }
    return known;
  };
  const tokens: Token[] = [];
  // Runs of one class are one span, as in the editor (a string read in pieces, say).
  const push = (text: string, classes: string) => {
    const last = tokens.at(-1);
    if (last && last[1] === classes && last[0] !== '\n')
      tokens[tokens.length - 1] = [last[0] + text, classes];
    else tokens.push([text, classes]);
  };
  code.split('\n').forEach((line, index) => {
    if (index > 0) tokens.push(['\n', '']);
    if (line === '') {
      parser.blankLine?.(state, INDENT_UNIT);
      return;
    }
    const stream = new StringStream(line, TAB_SIZE, INDENT_UNIT);
    while (!stream.eol()) {
      stream.start = stream.pos;
      const name = parser.token(stream, state);
      // A mode that reads nothing would loop forever; take one character as plain text.
      if (stream.pos === stream.start) stream.pos += 1;
      push(line.slice(stream.start, stream.pos), name ? classOf(name) : '');
    }
  });
  return tokens;
}
