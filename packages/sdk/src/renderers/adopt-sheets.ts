/**
 * Adds stylesheets to the shadow root (or the document) `element` is in, once: the
 * renderers' libraries style their plots with them.
 */
export function adoptSheets(element: Node, sheets: readonly CSSStyleSheet[]): void {
  const root = element.getRootNode();
  const target = root instanceof ShadowRoot ? root : document;
  const missing = sheets.filter((sheet) => !target.adoptedStyleSheets.includes(sheet));
  if (missing.length > 0) target.adoptedStyleSheets = [...target.adoptedStyleSheets, ...missing];
}
