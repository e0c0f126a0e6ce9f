import { tagHighlighter, tags } from '@lezer/highlight';

/**
 * The classes highlighted code gets, the same in the static code and in the editor, so
 * one set of rules colours both (`.tok-*` in the cell's styles, from the
 * `--binder-cell-code-*` custom properties). More specific tags (`controlKeyword`,
 * `special(string)`) take the class of the tag they refine.
 */
export const codeHighlighter = tagHighlighter([
  { tag: tags.keyword, class: 'tok-keyword' },
  { tag: tags.string, class: 'tok-string' },
  { tag: [tags.number, tags.bool, tags.null], class: 'tok-number' },
  { tag: tags.comment, class: 'tok-comment' },
  {
    tag: [tags.function(tags.variableName), tags.definition(tags.variableName)],
    class: 'tok-function',
  },
]);
