import type { IDisplayData, IExecuteResult } from '@jupyterlab/nbformat';
import type { Output } from './output-model.js';

/** A display as the kernel sent it, in nbformat's shape: every representation, its metadata. */
export type SentDisplay = IDisplayData | IExecuteResult;

/**
 * The kernel's own mime bundle behind each shown display (outputs keep only the one
 * representation they show), for exporting a notebook. Weak, so it goes with its output.
 */
const sent = new WeakMap<Output, SentDisplay>();

export function rememberSent(output: Output, display: SentDisplay): void {
  sent.set(output, display);
}

/** The display behind `output` as the kernel sent it; undefined for streams and errors. */
export function sentDisplay(output: Output): SentDisplay | undefined {
  return sent.get(output);
}
