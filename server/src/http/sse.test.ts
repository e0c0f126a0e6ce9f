import { describe, expect, it } from 'vitest';
import { encodeEvent } from './sse.js';

describe('encodeEvent', () => {
  it('writes one data line of JSON and a blank line', () => {
    expect(encodeEvent({ phase: 'waiting' })).toBe('data: {"phase":"waiting"}\n\n');
  });

  it('adds an id line when given', () => {
    expect(encodeEvent({ phase: 'ready' }, 'abc.3')).toBe('id: abc.3\ndata: {"phase":"ready"}\n\n');
  });

  it('keeps multi-line text on one data line', () => {
    const encoded = encodeEvent({ log: 'line one\nline two\r\n' });
    expect(encoded.split('\n').filter((line) => line.startsWith('data: '))).toHaveLength(1);
    expect(JSON.parse(encoded.slice('data: '.length))).toEqual({ log: 'line one\nline two\r\n' });
  });
});
