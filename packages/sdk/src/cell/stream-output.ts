import type { StreamText } from './stream-text.js';
import { terminal } from './terminal-loader.js';

/** A stream output (stdout or stderr): consecutive stream messages of one name, merged. */
export interface StreamOutput {
  readonly kind: 'stream';
  readonly name: 'stdout' | 'stderr';
  /** The text as shown: after `\r` and `\b`, without escape sequences; bounded (see StreamText). */
  readonly text: string;
  /** The stream as a terminal shows it; not enumerable: outputs serialise as `{ kind, name, text }`. */
  readonly stream: StreamText;
}

/** A new stream output holding `text`; later text of the same stream goes to `output.stream.write`. */
export function streamOutput(name: StreamOutput['name'], text: string): StreamOutput {
  const stream = new (terminal().StreamText)();
  stream.write(text);
  const output = {
    kind: 'stream' as const,
    name,
    get text() {
      return stream.text;
    },
  };
  return Object.defineProperty(output, 'stream', {
    value: stream,
    enumerable: false,
  }) as StreamOutput;
}
