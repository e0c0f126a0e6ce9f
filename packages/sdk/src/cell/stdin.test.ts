import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { cellsIn, outputText, part, shadow, waitForOutput } from '../../test-support/cells.js';
import { testServer, waitFor } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

async function cell(code: string): Promise<BinderCell> {
  const [only] = await cellsIn(
    html`<div>
      <binder-config server=${testServer()} repo="local/quickstart"></binder-config>
      <binder-cell><pre>${code}</pre></binder-cell>
    </div>`,
  );
  return only as BinderCell;
}

const answerField = (target: BinderCell) =>
  part(target, 'input')?.querySelector<HTMLInputElement>('input[name="answer"]');

describe('input() in a cell', () => {
  it('asks in the cell, with the prompt as label, and sends the answer', async () => {
    const target = await cell('name = input("Your name: ")\nprint("Hello,", name)');
    const run = target.run();
    const field = await waitFor(() => answerField(target), 'the input form');
    expect(field.type).to.equal('text');
    expect(part(target, 'input')?.querySelector('label')?.textContent).to.contain('Your name:');
    await waitFor(() => shadow(target).activeElement === field, 'the field to take focus');
    await expect(target).to.be.accessible();
    await sendKeys({ type: 'Ada' });
    await sendKeys({ press: 'Enter' });
    await run;
    await target.updateComplete;
    expect(outputText(target)).to.contain('Hello, Ada');
    expect(part(target, 'input')).to.equal(null);
  });

  it('hides what is typed for getpass()', async () => {
    const target = await cell(
      'import getpass\nsecret = getpass.getpass("Password: ")\nprint(len(secret), "characters")',
    );
    const run = target.run();
    const field = await waitFor(() => answerField(target), 'the password form');
    expect(field.type).to.equal('password');
    field.value = 'hunter2';
    (part(target, 'input') as HTMLFormElement).requestSubmit();
    await run;
    await waitForOutput(target, '7 characters');
    expect(outputText(target)).not.to.contain('hunter2');
  });
});
