import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { rollup } from 'rollup';
import { quietAboutDependencies } from '../rollup-warnings.js';

/**
 * Some dependencies ship CommonJS (@jupyterlab/services among them), which the test
 * server cannot serve as ES modules. This plugin bundles each such package once, with
 * the resolution the production build uses, and serves the bundle wherever the package
 * is imported. `packages` maps a package name to the names imported from it.
 */
export function commonjsBundlesPlugin(packages) {
  const bundles = new Map();
  const servedAt = (name) => `/__bundled__/${name.replace(/[^\w.-]/g, '_')}.js`;
  return {
    name: 'bundle-commonjs-dependencies',
    async serverStart() {
      for (const [name, exports] of Object.entries(packages)) {
        bundles.set(servedAt(name), await bundle(name, exports));
      }
    },
    resolveImport({ source }) {
      return Object.hasOwn(packages, source) ? servedAt(source) : undefined;
    },
    serve(context) {
      const code = bundles.get(context.path);
      return code === undefined ? undefined : { body: code, type: 'js' };
    },
  };
}

async function bundle(name, exports) {
  const entry = `\0entry:${name}`;
  const build = await rollup({
    input: entry,
    onwarn: quietAboutDependencies,
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === entry ? entry : null),
        load: (id) =>
          id === entry
            ? `import * as dependency from ${JSON.stringify(name)};\n` +
              `export const { ${exports.join(', ')} } = dependency;\n`
            : null,
      },
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"development"' } }),
      nodeResolve({ browser: true, mainFields: ['module', 'browser', 'main'] }),
      commonjs(),
    ],
  });
  const {
    output: [{ code }],
  } = await build.generate({ format: 'es' });
  await build.close();
  return code;
}
