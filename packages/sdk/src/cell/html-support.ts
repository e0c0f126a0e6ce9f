import type { TemplateResult } from 'lit';
import type { HtmlNeeds } from './html-needs.js';
import type { HtmlReading } from './recognise-html.js';

/**
 * What HTML outputs need beyond the entry module: reading kernel HTML before it is
 * sanitised (recognise-html.ts) and showing sanitised HTML without inline styles
 * (sanitised-html.ts). The lazily loaded runtime brings both and provides them here;
 * outputs arrive only once it has loaded.
 */
export interface HtmlSupport {
  read(html: string): HtmlReading;
  render(markup: string, css: string, needs: HtmlNeeds | undefined): TemplateResult;
}

let provided: HtmlSupport | undefined;

export function provideHtmlSupport(support: HtmlSupport): void {
  provided = support;
}

/** The HTML support, once the runtime has provided it. */
export function htmlSupport(): HtmlSupport | undefined {
  return provided;
}
