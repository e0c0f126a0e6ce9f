import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { rollup } from 'rollup';
import { quietAboutDependencies } from '../rollup-warnings.js';

const ENTRY = '\0services-entry';
const SERVED_AT = '/__bundled__/jupyterlab-services.js';

/**
 * @jupyterlab/services ships CommonJS, which the test server cannot serve as ES modules.
 * This plugin bundles the parts the SDK uses once, with the same resolution as the
 * production build, and serves that bundle wherever the SDK imports the package.
 */
export function servicesBundlePlugin() {
  let code = '';
  return {
    name: 'bundle-jupyterlab-services',
    async serverStart() {
      const bundle = await rollup({
        input: ENTRY,
        onwarn: quietAboutDependencies,
        plugins: [
          {
            name: 'entry',
            resolveId: (id) => (id === ENTRY ? ENTRY : null),
            load: (id) =>
              id === ENTRY
                ? "import * as services from '@jupyterlab/services';\n" +
                  'export const { KernelManager, KernelMessage, ServerConnection } = services;\n'
                : null,
          },
          replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"development"' } }),
          nodeResolve({ browser: true, mainFields: ['module', 'browser', 'main'] }),
          commonjs(),
        ],
      });
      ({
        output: [{ code }],
      } = await bundle.generate({ format: 'es' }));
      await bundle.close();
    },
    resolveImport({ source }) {
      return source === '@jupyterlab/services' ? SERVED_AT : undefined;
    },
    serve(context) {
      return context.path === SERVED_AT ? { body: code, type: 'js' } : undefined;
    },
  };
}
