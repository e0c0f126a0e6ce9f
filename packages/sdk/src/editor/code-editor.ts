/**
 * The code editor (CodeMirror 6), loaded the first time a cell is edited or when the
 * page asks for it, so pages that are only read never download it.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  HighlightStyle,
  StreamLanguage,
  bracketMatching,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import type { LanguageSupport, StreamParser } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { tags } from '@lezer/highlight';

export interface EditorOptions {
  parent: HTMLElement;
  /** The shadow root the editor lives in, so its styles and selection work there. */
  root: ShadowRoot;
  doc: string;
  /** `python`, `r`, `julia`, `javascript`, or anything else for plain text. */
  language: string;
  readOnly: boolean;
  label: string;
  onChange: (code: string) => void;
  /** Shift-Enter runs and moves on (`advance`); Ctrl/Cmd-Enter runs in place. */
  onRun: (advance: boolean) => void;
}

const stream = (parser: StreamParser<unknown>) => StreamLanguage.define(parser);

/** Each language is its own chunk: a page of Python cells never loads the others. */
const LANGUAGES: Record<string, () => Promise<Extension | LanguageSupport>> = {
  python: () => import('@codemirror/lang-python').then(({ python }) => python()),
  r: () => import('@codemirror/legacy-modes/mode/r').then(({ r }) => stream(r)),
  julia: () => import('@codemirror/legacy-modes/mode/julia').then(({ julia }) => stream(julia)),
  javascript: () => import('@codemirror/lang-javascript').then(({ javascript }) => javascript()),
};

/** Colours come from the cell's CSS custom properties, so themes and dark mode apply. */
const highlight = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword],
    color: 'var(--binder-cell-code-keyword)',
  },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--binder-cell-code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--binder-cell-code-number)' },
  { tag: [tags.comment], color: 'var(--binder-cell-code-comment)', fontStyle: 'italic' },
  {
    tag: [tags.function(tags.variableName), tags.definition(tags.variableName)],
    color: 'var(--binder-cell-code-function)',
  },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'transparent', fontSize: 'var(--binder-cell-font-size)' },
  '.cm-content': {
    fontFamily: 'var(--binder-cell-font)',
    caretColor: 'var(--binder-cell-foreground)',
  },
  '.cm-scroller': { fontFamily: 'var(--binder-cell-font)' },
  '&.cm-focused': { outline: 'none' },
});

export async function createEditor(options: EditorOptions): Promise<EditorView> {
  const language = (await LANGUAGES[options.language]?.()) ?? [];
  const run = (advance: boolean) => () => {
    options.onRun(advance);
    return true;
  };
  return new EditorView({
    parent: options.parent,
    root: options.root,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        Prec.highest(
          keymap.of([
            { key: 'Shift-Enter', run: run(true) },
            { key: 'Mod-Enter', run: run(false) },
          ]),
        ),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(highlight),
        theme,
        language,
        // Read-only code stays focusable, so readers can select it and run it from the keyboard.
        EditorState.readOnly.of(options.readOnly),
        EditorView.contentAttributes.of({
          'aria-label': options.label,
          ...(options.readOnly ? { 'aria-readonly': 'true' } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}
