import type { KernelSession } from '../session/kernel-session.js';

/**
 * Asks, from inside a cell's shadow root, for the session of the cell: renderers that
 * need the session's server (the Bokeh renderer loads BokehJS from it) dispatch it from
 * their element, and `<binder-cell>` answers. Bubbles out of shadow roots, so outputs
 * inside widgets find their cell too.
 */
export class SessionRequestEvent extends Event {
  static readonly type = 'binder-cell-session-request';
  session: KernelSession | undefined;

  constructor() {
    super(SessionRequestEvent.type, { bubbles: true, composed: true });
  }
}

/** The session of the cell `element` is in; undefined outside a cell or before it has one. */
export function sessionOf(element: Element): KernelSession | undefined {
  const request = new SessionRequestEvent();
  element.dispatchEvent(request);
  return request.session;
}
