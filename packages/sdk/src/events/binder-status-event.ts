import type { SessionStatus } from '../session/kernel-session.js';

export type RunState = 'idle' | 'waiting' | 'queued' | 'running';

export interface BinderStatusDetail {
  /** The cell's own state: waiting for its session, queued behind other cells, running. */
  run: RunState;
  session: SessionStatus;
}

/** A cell's or its session's state changed. Bubbles out of shadow roots. */
export class BinderStatusEvent extends CustomEvent<BinderStatusDetail> {
  static readonly type = 'binder-cell-status';

  constructor(detail: BinderStatusDetail) {
    super(BinderStatusEvent.type, { detail, bubbles: true, composed: true });
  }
}
