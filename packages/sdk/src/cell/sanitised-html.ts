import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';
import { PartType } from 'lit/directive.js';
import { adoptSheets } from '../renderers/adopt-sheets.js';
import type { HtmlNeeds } from './html-needs.js';
import { htmlStyles } from './html.styles.js';
import { STYLE_DATA_ATTRIBUTE, adoptOutputStyles } from './output-styles.js';

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
    const tables = htmlStyles.styleSheet;
    if (this.container && tables) adoptSheets(this.container, [tables]);
    this.dropStyles?.();
    this.dropStyles =
      this.css && this.container ? adoptOutputStyles(this.container, this.css) : undefined;
  }
}

const sanitisedHtml = directive(SanitisedHtml);

/** Why sanitised HTML may show less than it should: a note, not an error (the page chose it). */
const NEEDS_NOTES: Record<HtmlNeeds, string> = {
  javascript: 'This output runs JavaScript, which this page does not allow (see allow-javascript).',
  frames: 'This output embeds a page, which this page does not allow (see allow-javascript).',
};

/**
 * Sanitised HTML and the CSS of its `<style>` elements, as an output, after a note when
 * sanitising took out what it `needs` (see html-needs.ts).
 */
export function sanitisedHtmlOutput(
  markup: string,
  css: string,
  needs: HtmlNeeds | undefined,
): TemplateResult {
  const note = needs ? html`<p part="note" class="note">${NEEDS_NOTES[needs]}</p>` : nothing;
  return html`${note}
    <div part="output html" class="html" ${sanitisedHtml(markup, css)}></div>`;
}
