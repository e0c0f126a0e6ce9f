import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { quietAboutDependencies } from './rollup-warnings.js';

/** Libraries known to be free of import-time side effects, so unused parts of them drop out. */
const PURE_PACKAGES = /node_modules\/(@jupyterlab|@lumino|@jupyter)\//;

export default {
  input: { 'binder-cell': 'src/index.ts' },
  onwarn: quietAboutDependencies,
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  treeshake: {
    moduleSideEffects: (id) => !PURE_PACKAGES.test(id),
  },
  plugins: [
    replace({
      preventAssignment: true,
      values: { 'process.env.NODE_ENV': JSON.stringify('production') },
    }),
    typescript({
      tsconfig: 'tsconfig.build.json',
      outDir: 'dist/types',
      declarationDir: 'dist/types',
    }),
    nodeResolve({
      browser: true,
      mainFields: ['module', 'browser', 'main'],
      exportConditions: ['browser', 'production'],
    }),
    commonjs(),
    terser({ format: { comments: false } }),
  ],
};
