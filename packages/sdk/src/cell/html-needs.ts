/**
 * What kernel HTML needs that sanitising takes out, so that an output left blank by it can
 * say why: scripts (JavaScript), or embedded pages (`<iframe>`, folium's maps among them,
 * `<object>`, `<embed>`). Event handler attributes are found before (inline-handlers.ts).
 * Pages with `allow-javascript` show such HTML as sent instead.
 */
export type HtmlNeeds = 'javascript' | 'frames';

/** Cheap tests on the text, so that most HTML (DataFrames...) is never parsed a second time. */
const MAY_SCRIPT = /<script\b/i;
const MAY_FRAME = /<(?:i?frame|object|embed)\b/i;
/** Types a `<script>` runs as (the HTML standard's JavaScript MIME types, and modules). */
const SCRIPT_TYPE = /^(?:module|(?:text|application)\/(?:x-)?(?:java|ecma|j|live)script)$/i;

/**
 * What `html` needs that sanitised HTML cannot keep, or undefined (JavaScript first). Give
 * it HTML without inline CSS or event handlers: a strict CSP refuses those when parsed.
 */
export function htmlNeeds(html: string): HtmlNeeds | undefined {
  const script = MAY_SCRIPT.test(html);
  const frame = MAY_FRAME.test(html);
  if (!script && !frame) return undefined;
  // A template's content is inert: nothing in it runs or loads.
  const template = document.createElement('template');
  template.innerHTML = html;
  const { content } = template;
  if (script && runsScripts(content)) return 'javascript';
  if (frame && content.querySelector('iframe, frame, object, embed')) return 'frames';
  return undefined;
}

function runsScripts(content: DocumentFragment): boolean {
  return [...content.querySelectorAll('script')].some((script) => {
    const type = script.getAttribute('type')?.trim() ?? '';
    return type === '' || SCRIPT_TYPE.test(type);
  });
}
