import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '../../test/support/chromium-flags.js';
import { binderServerPlugin } from './test-support/binder-server-plugin.js';
import { commonjsBundlesPlugin } from './test-support/commonjs-bundles-plugin.js';

export default {
  files: 'src/**/*.test.ts',
  nodeResolve: {
    browser: true,
    mainFields: ['module', 'browser', 'main'],
    exportConditions: ['browser', 'production'],
  },
  concurrency: 1,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 180_000 } },
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('tsconfig.json', import.meta.url)),
    }),
    commonjsBundlesPlugin({
      '@jupyterlab/services': [
        'KernelAPI',
        'KernelManager',
        'KernelMessage',
        'KernelSpecAPI',
        'ServerConnection',
      ],
      'event-iterator': ['EventIterator'],
    }),
    binderServerPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_BIN,
        args: ['--headless=new', ...CHROMIUM_ARGS],
      },
    }),
  ],
};
