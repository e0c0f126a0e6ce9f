import { expect, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { cellsIn, outputs, part, runAndWait, shadow } from '../../../test-support/cells.js';
import { testServer } from '../../../test-support/server.js';
import type { BinderCell } from './binder-cell.component.js';

const style = (element: Element | null) => getComputedStyle(element as Element);

function page(css: string, code = 'print("themed")') {
  return cellsIn(
    html`<div>
      <style>
        ${css}
      </style>
      <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
      <binder-cell><pre>${code}</pre></binder-cell>
      <pre class="page">page code</pre>
      <button class="page" type="button">page button</button>
    </div>`,
  );
}

const RICH_OUTPUTS =
  'from IPython.display import HTML, Markdown, display\n' +
  'print("printed")\n' +
  'display(HTML("<table><tr><th>n</th></tr><tr><td>1</td></tr></table>"))\n' +
  'display(Markdown("*emphasis* and $x^2$"))\n' +
  '1 / 0';

describe('theming', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('follows a dark colour scheme', async () => {
    const [cell] = (await page('')) as [BinderCell];
    const light = [style(cell).backgroundColor, style(cell).color];
    const lightRun = style(part(cell, 'run-button')).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    expect(style(cell).backgroundColor).not.to.equal(light[0]);
    expect(style(cell).color).not.to.equal(light[1]);
    expect(style(part(cell, 'run-button')).backgroundColor).not.to.equal(lightRun);
  });

  it('keeps page CSS out and its own CSS in', async () => {
    const [cell] = (await page(
      'pre { color: rgb(255, 0, 0); font-family: serif; } button { background: rgb(0, 128, 0); }',
    )) as [BinderCell];
    const code = shadow(cell).querySelector('pre') as HTMLElement;
    expect(style(code).color).not.to.equal('rgb(255, 0, 0)');
    expect(style(code).fontFamily).not.to.equal('serif');
    expect(style(part(cell, 'run-button')).backgroundColor).not.to.equal('rgb(0, 128, 0)');
    const pagePre = document.querySelector('pre.page');
    expect(style(pagePre).whiteSpace).to.equal('pre');
    expect(style(pagePre).color).to.equal('rgb(255, 0, 0)');
    expect(style(document.querySelector('button.page')).borderRadius).to.equal('0px');
  });

  it('takes custom properties and ::part() rules from the page', async () => {
    const [cell] = (await page(`
      binder-cell {
        --binder-cell-accent: rgb(1, 2, 3);
        --binder-cell-font: "Courier New", monospace;
        --binder-cell-code-keyword: rgb(4, 5, 6);
      }
      binder-cell::part(run-button) { border-radius: 0; }
      binder-cell::part(code) { padding: 3px; }
    `)) as [BinderCell];
    expect(style(part(cell, 'run-button')).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(style(part(cell, 'run-button')).borderTopLeftRadius).to.equal('0px');
    expect(style(part(cell, 'code')).paddingTop).to.equal('3px');
    expect(style(shadow(cell).querySelector('pre')).fontFamily).to.contain('Courier New');
    // The page's setting wins over dark mode's too.
    await emulateMedia({ colorScheme: 'dark' });
    expect(style(part(cell, 'run-button')).backgroundColor).to.equal('rgb(1, 2, 3)');
  });
});

describe('accessibility', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('passes an audit after a run with outputs, in light and dark colours', async () => {
    const [cell] = (await page('', RICH_OUTPUTS)) as [BinderCell];
    await runAndWait(cell);
    expect(outputs(cell).querySelector('.error')).to.not.equal(null);
    await expect(cell).to.be.accessible();
    await emulateMedia({ colorScheme: 'dark' });
    await expect(cell).to.be.accessible();
  });
});
