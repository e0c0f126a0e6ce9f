import { expect } from '@open-wc/testing';
import { StreamText } from './stream-text.js';

const written = (...chunks: string[]) => {
  const stream = new StreamText();
  for (const chunk of chunks) stream.write(chunk);
  return stream;
};

describe('StreamText', () => {
  it('returns to the start of the line on \\r, and later text overwrites', () => {
    expect(written('1\r2\r3').text).to.equal('3');
    expect(written('12345\rab').text).to.equal('ab345');
    expect(written(...Array.from({ length: 10 }, (_, i) => `${i}\r`)).text).to.equal('9');
  });

  it('keeps \\r\\n one newline, also split between chunks', () => {
    expect(written('a\r\nb\r\n').text).to.equal('a\nb\n');
    expect(written('a\r', '\nb').text).to.equal('a\nb');
    expect(written('a\n\n\nb').text).to.equal('a\n\n\nb');
  });

  it('moves back one character on \\b, never before the line start', () => {
    expect(written('abc\b\bX').text).to.equal('aXc');
    expect(written('a\b\b\bZ').text).to.equal('Z');
    expect(written('😀\bX').text).to.equal('X');
  });

  it('gives escape sequences no room, even split between chunks', () => {
    const stream = written('\u001b[3', '1mred\u001b[0m plain');
    expect(stream.text).to.equal('red plain');
    expect(stream.current).to.deep.equal({
      text: 'red plain',
      runs: [
        { end: 3, classes: 'ansi-fg ansi-red-fg' },
        { end: 9, classes: '' },
      ],
    });
    expect(written('a\u001b]8;;https://x.org\u0007link\u001b]8;;\u0007\u001b(Bb').text).to.equal(
      'alinkb',
    );
  });

  it('keeps colours with the characters written under them when overwriting', () => {
    expect(written('\u001b[31mred\u001b[0m\rab').current).to.deep.equal({
      text: 'abd',
      runs: [
        { end: 2, classes: '' },
        { end: 3, classes: 'ansi-fg ansi-red-fg' },
      ],
    });
  });

  it('erases in the line and moves to a column', () => {
    expect(written('progress 50%\r\u001b[Kdone').text).to.equal('done');
    expect(written('abcdef\u001b[3G\u001b[1KX').text).to.equal('  Xdef');
    expect(written('abcdef\u001b[2Kxy').text).to.equal('      xy');
  });

  it('keeps the first lines and the latest within its bound, counting those dropped', () => {
    const stream = new StreamText({ headLines: 2, maxChars: 40, maxLineChars: 100 });
    for (let i = 0; i < 100; i++) stream.write(`line ${i}\n`);
    const { lines } = stream;
    expect(lines.count).to.equal(100);
    expect(lines.slice(0, 2)).to.deep.equal(['line 0', 'line 1']);
    expect(lines.slice(lines.count - 2, lines.count)).to.deep.equal(['line 98', 'line 99']);
    expect(lines.dropped).to.be.greaterThan(90);
    expect(stream.text.split('\n').length - 1).to.equal(100 - lines.dropped);
  });

  it('cuts lines at their bound, as at a terminal margin', () => {
    const stream = new StreamText({ headLines: 2, maxChars: 1000, maxLineChars: 5 });
    stream.write('abcdefgh\n123');
    stream.write('4567\rX');
    expect(stream.text).to.equal('abcde\nX2345');
    expect(stream.cutChars).to.equal(5);
  });
});
