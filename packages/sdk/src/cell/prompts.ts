import { configFor } from '../settings.js';
import { dedent } from './read-code.js';

/** The prompts of a console transcript, e.g. Python's `>>> ` and `... ` in doctests. */
export interface Prompts {
  /** Starts each statement (Thebe's `inPrompt`). */
  input: string;
  /** Starts the lines a statement goes on with (Thebe's `continuationPrompt`). */
  continuation: string;
}

/** A transcript split into what runs and what it printed. */
export interface Transcript {
  code: string;
  /** The lines without a prompt: the output the transcript shows (`<BLANKLINE>` as an empty line). */
  output: string;
}

export const PYTHON_PROMPTS: Prompts = { input: '>>> ', continuation: '... ' };

/**
 * The prompts a cell strips: its `in-prompt` and `continuation-prompt` attributes, else
 * those of its group's `<binder-config>`; none without an `in-prompt`. The continuation
 * prompt defaults to Python's `... `.
 */
export function promptsOf(element: Element): Prompts | undefined {
  const config = configFor(element.ownerDocument, element.getAttribute('session') ?? '');
  const read = (name: string) => element.getAttribute(name) ?? config?.getAttribute(name) ?? '';
  const input = read('in-prompt');
  if (input === '') return undefined;
  return { input, continuation: read('continuation-prompt') || PYTHON_PROMPTS.continuation };
}

/**
 * Keeps the lines that start with a prompt (indentation aside), without it; a
 * continuation prompt counts only right after a prompted line. The other lines are the
 * transcript's output. Undefined when no line starts with the input prompt: the code is
 * not a transcript and runs as written.
 */
export function stripPrompts(text: string, prompts: Prompts): Transcript | undefined {
  const code: string[] = [];
  const output: string[] = [];
  let prompted = false;
  let inStatement = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    const statement = afterPrompt(trimmed, prompts.input);
    const kept: string | undefined =
      statement ?? (inStatement ? afterPrompt(trimmed, prompts.continuation) : undefined);
    prompted ||= statement !== undefined;
    inStatement = kept !== undefined;
    if (kept !== undefined) code.push(kept);
    else output.push(trimmed === '<BLANKLINE>' ? '' : line);
  }
  if (!prompted) return undefined;
  return { code: dedent(code.join('\n')), output: dedent(output.join('\n')) };
}

/**
 * The rest of an indentation-free line after `prompt` (its own indentation aside); a line
 * that is only the prompt without its trailing space counts too.
 */
function afterPrompt(line: string, prompt: string): string | undefined {
  const start = prompt.trimStart();
  if (line.startsWith(start)) return line.slice(start.length);
  return start.trimEnd() !== '' && line === start.trimEnd() ? '' : undefined;
}
