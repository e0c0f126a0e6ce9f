import type { Output } from '../cell/output-model.js';

export interface BinderOutputDetail {
  /** The cell's outputs after the change. */
  outputs: readonly Output[];
}

/** A cell's outputs changed. Bubbles out of shadow roots. */
export class BinderOutputEvent extends CustomEvent<BinderOutputDetail> {
  static readonly type = 'binder-cell-output';

  constructor(detail: BinderOutputDetail) {
    super(BinderOutputEvent.type, { detail, bubbles: true, composed: true });
  }
}
