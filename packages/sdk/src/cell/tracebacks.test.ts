import { expect } from '@open-wc/testing';
import { cellsOn, outputText, runAndWait } from '../../test-support/cells.js';
import { serverPaths } from '../../test-support/server.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

const page = (...codes: string[]) => cellsOn('quickstart', ...codes);

/** The outputs a reader sees must not tell where the server keeps sessions or the repository. */
async function expectNoServerPaths(cell: BinderCell): Promise<void> {
  const { dataDir, quickstartDir } = await serverPaths();
  expect(outputText(cell)).not.to.contain(dataDir);
  expect(outputText(cell)).not.to.contain(quickstartDir);
}

describe('paths in tracebacks and warnings', () => {
  it('names files of the repository relative to it', async () => {
    const [raising, warning] = (await page(
      'from weather import stations\nstations.fahrenheit(-300)',
      'from weather import stations\nstations.fahrenheit(70)',
    )) as [BinderCell, BinderCell];
    await runAndWait(raising);
    expect(outputText(raising)).to.contain('ValueError');
    expect(outputText(raising)).to.match(/File weather\/stations\.py:\d+, in fahrenheit/);
    await expectNoServerPaths(raising);

    await runAndWait(warning);
    expect(outputText(warning)).to.match(/(?:^|\s)weather\/stations\.py:\d+: UserWarning: 70 °C/);
    await expectNoServerPaths(warning);
  });

  it("names files of the environment from <env>, in tracebacks and packages' warnings", async () => {
    const [raising, warning] = (await page(
      'import numpy as np\nnp.loadtxt("no-such-file.csv")',
      'import warnings, numpy\n' +
        'warnings.warn_explicit("said by a package", UserWarning, numpy.__file__, 1)',
    )) as [BinderCell, BinderCell];
    await runAndWait(raising);
    expect(outputText(raising)).to.contain('FileNotFoundError');
    expect(outputText(raising)).to.match(/File <env>\/lib\/python3\.\d+\/site-packages\/numpy\//);
    await expectNoServerPaths(raising);

    await runAndWait(warning);
    expect(outputText(warning)).to.match(
      /(?:^|\s)<env>\/lib\/python3\.\d+\/site-packages\/numpy\/__init__\.py:1: UserWarning: said by a package/,
    );
    await expectNoServerPaths(warning);
  });

  it('names files of the Python the environment was made from (its standard library) from <python>', async () => {
    const [base, raising] = (await page(
      'import sys\nprint(sys.base_prefix)',
      'import json\njson.loads("{")',
    )) as [BinderCell, BinderCell];
    await runAndWait(base);
    const basePrefix = outputText(base).trim();
    expect(basePrefix).to.match(/^\//);
    await runAndWait(raising);
    expect(outputText(raising)).to.contain('JSONDecodeError');
    // A Python installed in the system's own prefix names nothing private: it stays as it is.
    const python = ['/', '/usr', '/usr/local'].includes(basePrefix) ? basePrefix : '<python>';
    expect(outputText(raising)).to.contain(`File ${python}/lib/python3.`);
    expect(outputText(raising)).to.match(/\/lib\/python3\.\d+\/json\/__init__\.py:\d+, in loads/);
    if (python === '<python>') {
      expect(outputText(raising)).not.to.contain(basePrefix);
      expect(outputText(raising)).not.to.contain('~/');
    }
    await expectNoServerPaths(raising);
  });

  it('leaves what the code prints to stdout as printed', async () => {
    const [cell] = (await page('import os\nprint(os.getcwd())')) as [BinderCell];
    await runAndWait(cell);
    const { dataDir } = await serverPaths();
    expect(outputText(cell)).to.contain(`${dataDir}/sessions/`);
  });
});
