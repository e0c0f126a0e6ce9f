import { stripVTControlCharacters } from 'node:util';
import type { LaunchEvent } from '@binder-cell/launch-protocol';

/**
 * The event without terminal control sequences (ANSI colours, cursor moves) in its
 * `message` and `log`: build tools colour their output for terminals, and readers see
 * these lines in a build log on a web page (and failure messages end with them).
 */
export function readableEvent(event: LaunchEvent): LaunchEvent {
  const clean = { ...event };
  if (typeof clean.message === 'string') clean.message = stripVTControlCharacters(clean.message);
  if ('log' in clean && typeof clean.log === 'string') {
    clean.log = stripVTControlCharacters(clean.log);
  }
  return clean;
}
