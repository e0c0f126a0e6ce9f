/** What kernel HTML's `style` attributes are renamed to before parsing (inline-css.ts). */
export const STYLE_DATA_ATTRIBUTE = 'data-binder-style';

/**
 * Adds CSS to the shadow root (or document) `element` is in, as a constructed stylesheet,
 * which a Content-Security-Policy does not govern. Returns a function that removes it.
 */
export function adoptOutputStyles(element: Node, css: string): () => void {
  const root = element.getRootNode();
  const target = root instanceof ShadowRoot ? root : document;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  return () => {
    target.adoptedStyleSheets = target.adoptedStyleSheets.filter((other) => other !== sheet);
  };
}
