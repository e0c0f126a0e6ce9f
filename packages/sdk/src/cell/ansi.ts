import { AnsiUp } from 'ansi_up';

/** Escapes text for HTML and turns ANSI colour codes into `ansi-*` classed spans. */
export function ansiToHtml(text: string): string {
  // A fresh converter per text: AnsiUp carries unclosed colours from one call to the next.
  const converter = new AnsiUp();
  converter.use_classes = true;
  return converter.ansi_to_html(text);
}
