/** The editor language of a cell: its `language` attribute, else the one its kernel speaks. */
export function editorLanguage(language: string | null, kernel: string | undefined): string {
  const name = (language ?? kernel ?? '').toLowerCase();
  if (/^(python|ipython|py)/.test(name)) return 'python';
  if (name === 'r' || name === 'ir') return 'r';
  if (name.startsWith('julia')) return 'julia';
  if (/^(javascript|js|node|deno|tslab)/.test(name)) return 'javascript';
  return name;
}
