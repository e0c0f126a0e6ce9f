import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';
import { PartType } from 'lit/directive.js';
import { runScriptsIn } from './run-html-scripts.js';

let trustedCount = 0;

/**
 * HTML as the kernel sent it, on pages that allow JavaScript: shown in the page's own
 * DOM (slotted into the cell), where `document.getElementById` and
 * `document.currentScript` find it as its scripts expect, and its scripts run once.
 */
class TrustedHtml extends AsyncDirective {
  private readonly slotName = `output-trusted-${++trustedCount}`;
  private readonly light = document.createElement('div');
  private shown: string | undefined;
  private slot: HTMLSlotElement | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('trustedHtml is an element directive');
    this.light.slot = this.slotName;
    this.light.className = 'binder-cell-output-html';
  }

  render(_html: string) {
    return undefined;
  }

  override update(part: ElementPart, [markup]: [string]) {
    this.slot = part.element as HTMLSlotElement;
    this.slot.name = this.slotName;
    if (this.shown === markup) return;
    this.shown = markup;
    this.light.innerHTML = markup;
    // The slot reaches the page on this render's commit; the scripts run once it has.
    queueMicrotask(() => {
      this.attach();
      runScriptsIn(this.light);
    });
  }

  protected override disconnected(): void {
    this.light.remove();
  }

  protected override reconnected(): void {
    this.attach();
  }

  private attach(): void {
    const root = this.slot?.getRootNode();
    if (root instanceof ShadowRoot && this.light.parentNode !== root.host) {
      root.host.append(this.light);
    }
  }
}

const trustedHtml = directive(TrustedHtml);

/** A slot showing trusted HTML from the page's DOM (render-html.ts loads this lazily). */
export function trustedSlot(markup: string): TemplateResult {
  return html`<slot ${trustedHtml(markup)}></slot>`;
}
