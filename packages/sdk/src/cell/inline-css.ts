import { STYLE_DATA_ATTRIBUTE } from './output-styles.js';

/**
 * Takes the inline CSS out of kernel HTML before it is parsed: a strict
 * Content-Security-Policy refuses `<style>` elements and `style` attributes as soon as
 * any parser (DOMPurify's included) meets them. `<style>` contents come back separately,
 * for a constructed stylesheet; `style` attributes are renamed `data-binder-style`, to be
 * applied through the CSSOM (see render-html.ts). Both are what DOMPurify kept before, so
 * nothing new gets through. A `style` that the patterns miss (a `>` inside an earlier
 * attribute's value) stays as it was.
 */
export interface HtmlWithoutCss {
  html: string;
  /** The text of the `<style>` elements, joined. */
  css: string;
}

const STYLE_ELEMENT = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;
const STYLE_ATTRIBUTE = /(<[a-z][^\s/>]*(?:\s[^>]*?)?\s)style(\s*=)/gi;

export function takeInlineCss(html: string): HtmlWithoutCss {
  const css: string[] = [];
  const withoutElements = html.replace(STYLE_ELEMENT, (_, text: string) => {
    css.push(text);
    return '';
  });
  return {
    html: withoutElements.replace(STYLE_ATTRIBUTE, `$1${STYLE_DATA_ATTRIBUTE}$2`),
    css: css.join('\n'),
  };
}
