/**
 * Markdown and LaTeX outputs: marked for Markdown, KaTeX (as MathML, so no fonts or
 * stylesheets are needed inside the cell's shadow root) for math. Loaded only when an
 * output needs them.
 */
import DOMPurify from 'dompurify';
import katex from 'katex';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, async: false });

function math(source: string, displayMode: boolean): string {
  return katex.renderToString(source, { displayMode, output: 'mathml', throwOnError: false });
}

/** `$$…$$` (display) and `$…$` (inline, not `\$`, not a lone dollar amount). */
const MATH = /\$\$([\s\S]+?)\$\$|(?<![\\$])\$(?![\s$])((?:\\\$|[^$\n])+?)(?<!\s)\$/g;

/** Markdown to sanitised HTML, with `$…$` and `$$…$$` typeset. */
export function markdownToHtml(markdown: string): string {
  const formulas: string[] = [];
  const protectedText = markdown.replace(
    MATH,
    (_, display: string | undefined, inline: string | undefined) => {
      formulas.push(display !== undefined ? math(display, true) : math(inline ?? '', false));
      return `@@binder-math-${formulas.length - 1}@@`;
    },
  );
  const rendered = DOMPurify.sanitize(marked.parse(protectedText) as string);
  return rendered.replace(
    /@@binder-math-(\d+)@@/g,
    (_, index: string) => formulas[Number(index)] ?? '',
  );
}

/** A `text/latex` output: usually one formula between `$$` or `\[ \]`. */
export function latexToHtml(latex: string): string {
  const source = latex
    .trim()
    .replace(/^\$\$([\s\S]*)\$\$$|^\\\[([\s\S]*)\\\]$|^\$([\s\S]*)\$$/, '$1$2$3');
  return math(source, true);
}
