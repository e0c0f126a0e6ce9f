import { expect } from '@open-wc/testing';
import { dedent, readCode } from './read-code.js';

describe('readCode', () => {
  it('takes the pre child and removes common indentation and blank edges', () => {
    const element = document.createElement('div');
    element.innerHTML = '<pre>\n    for i in range(3):\n        print(i)\n\n</pre>';
    expect(readCode(element)).to.equal('for i in range(3):\n    print(i)');
  });

  it('falls back to the text of the element', () => {
    const element = document.createElement('div');
    element.textContent = '\n  1 + 1\n';
    expect(readCode(element)).to.equal('1 + 1');
  });

  it('keeps relative indentation and CRLF-free lines', () => {
    expect(dedent('\r\n\t\tif x:\r\n\t\t\ty()\r\n')).to.equal('if x:\n\ty()');
  });
});
