/**
 * @summary Page-wide settings for `<binder-cell>` elements. Renders nothing.
 *
 * @attr server - Base URL of the binder-cell launch API (default: where the SDK was loaded from).
 * @attr repo - Repository to run in, e.g. `local/quickstart` or `git/<escaped url>/<ref>`.
 * @attr ref - Branch, tag or commit.
 * @attr kernel - Kernel name (default `python3`).
 */
export class BinderConfig extends HTMLElement {
  connectedCallback(): void {
    this.hidden = true;
  }
}
