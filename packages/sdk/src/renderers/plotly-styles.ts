/**
 * plotly.js styles its plots with `<style>` elements it adds to `document.head` while its
 * module runs (its global rules, inserted one by one into the element's `sheet`, and
 * maplibre's stylesheet). A strict Content-Security-Policy refuses those elements, and
 * rules in the document do not reach the cells' shadow roots anyway. This catches them
 * while plotly.js loads: their rules go into constructed stylesheets, which each cell's
 * shadow root adopts and which no CSP governs.
 */
const globalRules = new CSSStyleSheet();

/** plotly.js's stylesheets, for the shadow roots its plots are drawn in. */
export const plotlySheets: CSSStyleSheet[] = [globalRules];

/** Starts catching `<style>` elements added to document.head; returns what stops it. */
export function catchPlotlyStyles(): () => void {
  const head = document.head;
  head.appendChild = function appendChild<T extends Node>(node: T): T {
    if (!(node instanceof HTMLStyleElement))
      return Node.prototype.appendChild.call(head, node) as T;
    const css = node.textContent ?? '';
    if (css.trim() === '') {
      // An empty element that plotly fills through `sheet.insertRule`: its rules go to ours.
      Object.defineProperty(node, 'sheet', { value: globalRules });
    } else {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      plotlySheets.push(sheet);
    }
    return node;
  };
  return () => Reflect.deleteProperty(head, 'appendChild');
}
