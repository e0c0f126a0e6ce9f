/**
 * A lazily loaded plot renderer: draws an output's value into `target` (an element of
 * the cell's shadow root, on the page) and resolves to a function that takes the plot
 * down again. Rejects with an Error whose message says, for people, why the plot cannot
 * be shown: a PlotNote when that is how the page is set up, not a failure.
 */
export type PlotRenderer = (target: HTMLElement, value: string) => Promise<TakeDown>;

export type TakeDown = () => void;

/**
 * Why a plot is not drawn when the page's setup says so (no `allow-javascript`, a server
 * that does not serve BokehJS), rather than because something failed: shown as a note.
 */
export class PlotNote extends Error {
  override name = 'PlotNote';
}
