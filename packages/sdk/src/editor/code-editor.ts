/**
 * The code editor (CodeMirror 6), loaded the first time a cell is edited or when the
 * page asks for it, so pages that are only read never download it.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  StreamLanguage,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import type { LanguageSupport, StreamParser } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { codeHighlighter } from './highlighter.js';
import type { CodeSelection } from './reader-selection.js';

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
  /** Where the caret (or selection) starts, asked just before the editor appears; default 0. */
  selection?: () => Promise<CodeSelection | undefined>;
}

const stream = (parser: StreamParser<unknown>) => StreamLanguage.define(parser);

/** Each language is its own chunk: a page of Python cells never loads the others. */
const LANGUAGES: Record<string, () => Promise<Extension | LanguageSupport>> = {
  python: () => import('@codemirror/lang-python').then(({ python }) => python()),
  r: () => import('@codemirror/legacy-modes/mode/r').then(({ r }) => stream(r)),
  julia: () => import('@codemirror/legacy-modes/mode/julia').then(({ julia }) => stream(julia)),
  javascript: () => import('@codemirror/lang-javascript').then(({ javascript }) => javascript()),
};

/**
 * The editor takes the place of the static code without moving a character: no padding of
 * its own (the cell's code area has it), and the font, size and line height of the static
 * code. Long lines scroll, as they do in the static code.
 */
const theme = EditorView.theme({
  '&': { backgroundColor: 'transparent', fontSize: 'var(--binder-cell-font-size)' },
  '.cm-scroller': {
    fontFamily: 'var(--binder-cell-font)',
    lineHeight: 'var(--binder-cell-line-height)',
  },
  '.cm-content': {
    padding: '0',
    fontFamily: 'var(--binder-cell-font)',
    caretColor: 'var(--binder-cell-foreground)',
  },
  '.cm-line': { padding: '0' },
  '&.cm-focused': { outline: 'none' },
});

export async function createEditor(options: EditorOptions): Promise<EditorView> {
  const language = (await LANGUAGES[options.language]?.()) ?? [];
  const selection = await options.selection?.();
  const run = (advance: boolean) => () => {
    options.onRun(advance);
    return true;
  };
  return new EditorView({
    parent: options.parent,
    root: options.root,
    state: EditorState.create({
      doc: options.doc,
      selection,
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
        // Four spaces, as Jupyter indents (CodeMirror's default is two).
        indentUnit.of('    '),
        bracketMatching(),
        // Colours come from the cell's `.tok-*` rules, as for the static code.
        syntaxHighlighting(codeHighlighter),
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
