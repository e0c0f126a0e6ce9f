/**
 * Streams and ANSI text as a terminal shows them: a chunk of its own, loaded before a
 * cell first runs (see terminal-loader.ts).
 */
export { ansiToHtml } from './ansi-html.js';
export { StreamText } from './stream-text.js';
export { streamView } from './stream-view.js';
