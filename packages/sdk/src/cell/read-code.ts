/**
 * The code a cell runs: its `pre`/`code` child's text (not one inside outputs: the
 * pre-rendered ones in `slot="output"`, or trusted HTML outputs in `output-trusted-*`
 * slots), or its own text, without common indentation.
 */
export function readCode(element: Element): string {
  const source =
    element.querySelector(
      ':scope > pre:not([slot^="output"]), :scope > code:not([slot^="output"])',
    ) ??
    [...element.querySelectorAll('pre, code')].find((node) => !node.closest('[slot^="output"]')) ??
    element;
  if (source === element) {
    const text = [...element.childNodes]
      .filter(
        (node) => !(node instanceof Element && node.getAttribute('slot')?.startsWith('output')),
      )
      .map((node) => node.textContent ?? '')
      .join('');
    return dedent(text);
  }
  return dedent(source.textContent ?? '');
}

export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}
