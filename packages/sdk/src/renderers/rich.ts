/**
 * Markdown and LaTeX outputs: marked for Markdown, KaTeX (as MathML, so no fonts or
 * stylesheets are needed inside the cell's shadow root) for math. Loaded only when an
 * output needs them.
 */
import DOMPurify from 'dompurify';
import katex from 'katex';
import type { KatexOptions } from 'katex';
import renderMathInElement from 'katex/contrib/auto-render';
import { Marked } from 'marked';
import type { Tokens } from 'marked';
import markedKatex from 'marked-katex-extension';

const KATEX: KatexOptions = { output: 'mathml', throwOnError: false };

/** Formulas typeset during the current `markdownToHtml` call, by placeholder number. */
let formulas: string[] = [];

/**
 * Shows a formula as a placeholder: the sanitiser would strip the `<semantics>` and
 * `<annotation>` of KaTeX's MathML, so formulas go in after it ran.
 */
function placeholder({ text, displayMode }: Tokens.Generic): string {
  formulas.push(
    katex.renderToString(String(text), { ...KATEX, displayMode: Boolean(displayMode) }),
  );
  return `<span data-binder-math="${formulas.length - 1}"></span>`;
}

/**
 * Math by marked-katex-extension's rules: `$…$` inline (after a space or at the start of
 * a line, and before a space, punctuation or the end), `$$…$$` inline or as a block; never
 * inside code spans or code blocks.
 */
const marked = new Marked({ gfm: true, async: false }, markedKatex(KATEX), {
  extensions: [
    { name: 'inlineKatex', renderer: placeholder },
    { name: 'blockKatex', renderer: (token) => `${placeholder(token)}\n` },
  ],
});

/** Markdown to sanitised HTML, with its math typeset. */
export function markdownToHtml(markdown: string): string {
  formulas = [];
  const sanitized = DOMPurify.sanitize(marked.parse(markdown) as string);
  const typeset = formulas;
  formulas = [];
  return sanitized.replace(
    /<span data-binder-math="(\d+)"><\/span>/g,
    (_, index: string) => typeset[Number(index)] ?? '',
  );
}

/** Delimiters of math inside LaTeX text, as LaTeX and MathJax read them. */
const DELIMITERS = [
  { left: '$$', right: '$$', display: true },
  { left: '\\[', right: '\\]', display: true },
  { left: '\\(', right: '\\)', display: false },
  { left: '$', right: '$', display: false },
  ...['equation', 'equation*', 'align', 'align*', 'alignat', 'alignat*', 'gather', 'gather*'].map(
    (name) => ({ left: `\\begin{${name}}`, right: `\\end{${name}}`, display: true }),
  ),
];

/** A whole formula: one pair of delimiters around everything. */
const WHOLE_FORMULA =
  /^\$\$((?:(?!\$\$)[\s\S])*)\$\$$|^\\\[((?:(?!\\\])[\s\S])*)\\\]$|^\$([^$]*)\$$/;

/**
 * A `text/latex` output: a formula (between `$$`, `\[ \]` or `$`, or without delimiters)
 * typesets as display math; text with math in it keeps its text and typesets the math,
 * as KaTeX's auto-render finds it.
 */
export function latexToHtml(latex: string): string {
  const source = latex.trim();
  const whole = WHOLE_FORMULA.exec(source);
  if (whole || !DELIMITERS.some(({ left }) => source.includes(left))) {
    const formula = whole ? (whole[1] ?? whole[2] ?? whole[3] ?? '') : source;
    return katex.renderToString(formula, { ...KATEX, displayMode: true });
  }
  const container = document.createElement('div');
  container.textContent = source;
  renderMathInElement(container, { ...KATEX, delimiters: DELIMITERS });
  return container.innerHTML;
}
