/**
 * One token of JSON or of a plain JavaScript object literal: blanks, comments, strings in
 * either quotes, numbers, names and punctuation.
 */
const TOKEN =
  /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_$][\w$]*|[{}[\]:,]/y;

const LITERALS = new Set(['true', 'false', 'null']);

/**
 * Parses JSON, or the object literals Thebe's documentation writes in its config scripts
 * (unquoted keys, single quotes, comments, trailing commas), without evaluating anything.
 * Throws a SyntaxError naming the line of the first thing it cannot read.
 */
export function parseRelaxedJson(text: string): unknown {
  const out: string[] = [];
  const open: string[] = [];
  let last = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const token = TOKEN.exec(text)?.[0];
    if (token === undefined) {
      throw new SyntaxError(`unexpected ${JSON.stringify(text[at])} on line ${lineOf(text, at)}`);
    }
    if (/^\s|^\/[/*]/.test(token)) continue;
    if (token === '{' || token === '[') open.push(token);
    if (token === '}' || token === ']') {
      open.pop();
      if (out.at(-1) === ',') out.pop();
    }
    out.push(translate(token, open.at(-1) === '{' && (last === '{' || last === ','), text, at));
    last = token;
  }
  try {
    return JSON.parse(out.join(''));
  } catch (error) {
    throw new SyntaxError(error instanceof Error ? error.message : String(error));
  }
}

function translate(token: string, keyExpected: boolean, text: string, at: number): string {
  if (token.startsWith("'")) return doubleQuoted(token.slice(1, -1));
  if (!/^[A-Za-z_$]/.test(token) || LITERALS.has(token)) return token;
  if (keyExpected) return JSON.stringify(token);
  throw new SyntaxError(
    `unexpected name ${JSON.stringify(token)} on line ${lineOf(text, at)} (only JSON values are allowed)`,
  );
}

/** A single-quoted string's body as a JSON string. */
function doubleQuoted(body: string): string {
  const escaped = body.replace(/\\(.)|"/g, (match, escape: string | undefined) =>
    escape === undefined ? '\\"' : escape === "'" ? "'" : match,
  );
  return `"${escaped}"`;
}

function lineOf(text: string, at: number): number {
  return text.slice(0, at).split('\n').length;
}
