export interface BinderErrorDetail {
  /** `launch`: no session; `execution`: the code raised; `kernel`: it died or the connection dropped. */
  kind: 'launch' | 'execution' | 'kernel';
  message: string;
}

/** Something went wrong for a cell. Bubbles out of shadow roots. */
export class BinderErrorEvent extends CustomEvent<BinderErrorDetail> {
  static readonly type = 'binder-cell-error';

  constructor(detail: BinderErrorDetail) {
    super(BinderErrorEvent.type, { detail, bubbles: true, composed: true });
  }
}
