/**
 * Where the reader's pointer put the caret (or dragged a selection) in a cell's static code,
 * so the editor that replaces the code opens with it there.
 */

/** A selection in the code's text: offsets in UTF-16 code units, `anchor` where it started. */
export interface CodeSelection {
  anchor: number;
  head: number;
}

/** Resolves when the pointer that is down now comes up, so a drag is over before it is read. */
export function pointerReleased(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener('pointerup', done, true);
      window.removeEventListener('pointercancel', done, true);
      resolve();
    };
    window.addEventListener('pointerup', done, true);
    window.addEventListener('pointercancel', done, true);
  });
}

/**
 * The page's selection as offsets in `code`'s text (`code` lives in `root`), or `undefined`
 * when it does not start in `code` or the browser cannot say (no `getComposedRanges`). An
 * end dragged out of `code` counts as its start or end, whichever side it went.
 */
export function selectionIn(root: ShadowRoot, code: Element): CodeSelection | undefined {
  const selection = document.getSelection();
  if (!selection?.getComposedRanges) return undefined;
  const [range] = selection.getComposedRanges({ shadowRoots: [root] });
  if (!range) return undefined;
  const start = offsetIn(code, range.startContainer, range.startOffset);
  const end = offsetIn(code, range.endContainer, range.endOffset);
  const backward = selection.direction === 'backward';
  const [anchor, head] = backward ? [end, start] : [start, end];
  return code.contains(backward ? range.endContainer : range.startContainer)
    ? { anchor, head }
    : undefined;
}

/** The text offset in `code` of a DOM point, clamped to `code`'s text when it lies outside. */
function offsetIn(code: Element, node: Node, offset: number): number {
  const length = code.textContent?.length ?? 0;
  const host = (code.getRootNode() as ShadowRoot).host;
  const bounds = document.createRange();
  if (node.getRootNode() === code.getRootNode()) bounds.selectNodeContents(code);
  else if (node.getRootNode() === host.getRootNode()) bounds.setStartBefore(host);
  else return length;
  const side = bounds.comparePoint(node, offset);
  if (side !== 0) return side < 0 ? 0 : length;
  const before = document.createRange();
  before.setStart(code, 0);
  before.setEnd(node, offset);
  return before.toString().length;
}
