import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';
import { PartType } from 'lit/directive.js';

declare global {
  interface Window {
    /** The output element an `application/javascript` output runs for. */
    binderCellOutput?: HTMLElement;
  }
}

/**
 * Runs an `application/javascript` output (only on pages that opt in with
 * `allow-javascript`), as a script element: no eval, so CSP decides as it does for any
 * inline script. `window.binderCellOutput` is the output's element while it runs.
 */
class RunScript extends AsyncDirective {
  private ran: string | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('runScript is an element directive');
  }

  render(_code: string) {
    return undefined;
  }

  override update(part: ElementPart, [code]: [string]) {
    if (this.ran === code) return;
    this.ran = code;
    const container = part.element as HTMLElement;
    // A first render builds the output before it is on the page, and a script runs only
    // once it is: wait for that, so that `binderCellOutput` is set while it runs.
    if (container.isConnected) runIn(container, code);
    else queueMicrotask(() => runIn(container, code));
  }
}

function runIn(container: HTMLElement, code: string): void {
  const script = document.createElement('script');
  script.textContent = code;
  window.binderCellOutput = container;
  container.append(script);
  delete window.binderCellOutput;
}

const runScript = directive(RunScript);

export function javascriptOutput(code: string): TemplateResult {
  return html`<div part="output javascript" class="javascript" ${runScript(code)}></div>`;
}
