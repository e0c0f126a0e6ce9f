/**
 * A lazily loaded plot renderer: draws an output's value into `target` (an element of
 * the cell's shadow root, on the page) and resolves to a function that takes the plot
 * down again. Rejects with an Error whose message says, for people, why the plot cannot
 * be shown.
 */
export type PlotRenderer = (target: HTMLElement, value: string) => Promise<TakeDown>;

export type TakeDown = () => void;
