/**
 * @summary Page-wide settings for `<binder-cell>` elements. Renders nothing.
 *
 * @attr server - Server URL(s), space-separated (default: where the SDK was loaded from).
 * @attr kind - `binder-cell` (default), `binderhub` or `jupyter`.
 * @attr repo - Repository to run in, e.g. `gh/org/repo/main` or `local/quickstart`.
 * @attr ref - Branch, tag or commit.
 * @attr kernel - Kernel name (default `python3`).
 * @attr token - Token of a `jupyter` server.
 * @attr session - The session group these settings are for (default: the page's).
 * @attr launch - `run` (default) or `eager`: launch as the page loads.
 * @attr reuse - Seconds a session may be reused by later page loads (default 3600; 0: never).
 * @attr allow-javascript - Run `application/javascript` outputs and HTML outputs' scripts.
 * @attr widgets-url - Where third-party widget modules load from.
 * @attr editor - `lazy` (default), `eager` or `off`.
 * @attr path - The kernel's working directory, relative to the repository (default: its root).
 * @attr in-prompt - Prompt of console transcripts' statements (`>>> `): only prompted lines run.
 * @attr continuation-prompt - Prompt of transcripts' continuation lines (default `... `).
 */
export class BinderConfig extends HTMLElement {
  connectedCallback(): void {
    this.hidden = true;
  }
}
