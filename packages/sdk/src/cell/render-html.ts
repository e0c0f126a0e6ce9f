import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';
import { PartType } from 'lit/directive.js';
import { STYLE_DATA_ATTRIBUTE } from './inline-css.js';
import { adoptOutputStyles } from './output-styles.js';
import { runScriptsIn } from './run-html-scripts.js';

/**
 * Sanitised HTML, shown so that a strict Content-Security-Policy has nothing to refuse:
 * its inline CSS was taken out before it was parsed (inline-css.ts); the `<style>` text
 * becomes a constructed stylesheet of the cell's shadow root, and the `style` attributes
 * are set through the CSSOM (pandas tables carry both).
 */
class SanitisedHtml extends AsyncDirective {
  private shown: string | undefined;
  private container: HTMLElement | undefined;
  private css = '';
  private dropStyles: (() => void) | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('sanitisedHtml is an element directive');
  }

  render(_html: string, _css: string) {
    return undefined;
  }

  override update(part: ElementPart, [markup, css]: [string, string]) {
    if (this.shown === markup && this.css === css) return;
    this.shown = markup;
    this.css = css;
    this.container = part.element as HTMLElement;
    this.container.innerHTML = markup;
    for (const element of this.container.querySelectorAll<HTMLElement>(
      `[${STYLE_DATA_ATTRIBUTE}]`,
    )) {
      element.style.cssText = element.getAttribute(STYLE_DATA_ATTRIBUTE) ?? '';
      element.removeAttribute(STYLE_DATA_ATTRIBUTE);
    }
    // A first render builds the output before it is in the shadow root that the sheet joins.
    queueMicrotask(() => this.adoptStyles());
  }

  protected override disconnected(): void {
    this.dropStyles?.();
    this.dropStyles = undefined;
  }

  protected override reconnected(): void {
    this.adoptStyles();
  }

  private adoptStyles(): void {
    this.dropStyles?.();
    this.dropStyles =
      this.css && this.container ? adoptOutputStyles(this.container, this.css) : undefined;
  }
}

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

const sanitisedHtml = directive(SanitisedHtml);
const trustedHtml = directive(TrustedHtml);

/**
 * An HTML output: sanitised (with its inline CSS apart), or (trusted) as sent, its scripts
 * running.
 */
export function htmlOutput(
  markup: string,
  { trusted, css }: { trusted: boolean; css: string },
): TemplateResult {
  return trusted
    ? html`<div part="output html" class="html trusted"><slot ${trustedHtml(markup)}></slot></div>`
    : html`<div part="output html" class="html" ${sanitisedHtml(markup, css)}></div>`;
}
