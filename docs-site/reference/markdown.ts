/** A Markdown table; `|` in cells is escaped and line breaks become spaces. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Inline code, with a fence long enough for backticks inside. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The notice every generated page starts with. */
export function generatedNotice(source: string): string {
  return `<!-- Generated from ${source} by \`npm run docs:reference\`; do not edit. -->`;
}
