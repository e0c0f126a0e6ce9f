/**
 * Takes the event handler attributes (`onclick="..."`) out of kernel HTML before it is
 * parsed: a strict Content-Security-Policy reports them as soon as any parser (DOMPurify's
 * included) meets them, as it does inline CSS (inline-css.ts). Each is renamed
 * `binder-cell-dropped-on…`, an attribute that runs nothing and that sanitising drops.
 * Like inline-css.ts, a tag whose earlier attribute value holds a `>` is left as it was.
 */
export interface HtmlWithoutHandlers {
  html: string;
  /** Whether the HTML had event handler attributes. */
  handlers: boolean;
}

const START_TAG = /<[a-z][^\s/>]*\s[^>]*>/gi;
const HANDLER = /(\s)(on[a-z]+)(?=[\s=/>])/gi;
const DROPPED_HANDLER_PREFIX = 'binder-cell-dropped-';

export function takeInlineHandlers(html: string): HtmlWithoutHandlers {
  let handlers = false;
  const renamed = html.replace(START_TAG, (tag) =>
    tag.replace(HANDLER, (_, space: string, name: string) => {
      handlers = true;
      return `${space}${DROPPED_HANDLER_PREFIX}${name}`;
    }),
  );
  return { html: renamed, handlers };
}
