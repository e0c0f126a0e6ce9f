import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { quietAboutDependencies } from './rollup-warnings.js';

/** Libraries known to be free of import-time side effects, so unused parts of them drop out. */
const PURE_PACKAGES = /node_modules\/(@jupyterlab|@lumino|@jupyter)\//;

/** Style sheets are bundled as text, for shadow roots to adopt (see src/widgets/widget-styles.ts). */
const cssAsText = {
  name: 'css-as-text',
  transform(code, id) {
    if (!id.endsWith('.css')) return null;
    return { code: `export default ${JSON.stringify(code)};`, map: { mappings: '' } };
  },
};

/**
 * The widget manager's default HTML sanitiser (sanitize-html, which brings postcss) is
 * never called: KernelWidgetManager.inline_sanitize uses DOMPurify. So it is left out.
 */
const withoutSanitizeHtml = {
  name: 'without-sanitize-html',
  resolveId: (id) => (id === 'sanitize-html' ? '\0sanitize-html' : null),
  load: (id) =>
    id === '\0sanitize-html'
      ? 'export default () => { throw new Error("binder-cell sanitises widget HTML with DOMPurify"); };'
      : null,
};

/**
 * Lit stylesheets of our own components (`css\`...\`` in `*.styles.ts`, which hold no CSS
 * strings) without the indentation and line breaks they are written with: whitespace next
 * to braces, semicolons, commas, child combinators and after colons means nothing in CSS,
 * and elsewhere one space does what many did.
 */
const compactStyles = {
  name: 'compact-styles',
  transform(code, id) {
    if (!/\/src\/.*\.styles\.ts$/.test(id)) return null;
    const compacted = code.replace(/\bcss\s*`([^`]*)`/g, (_, text) => {
      const css = text
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,>])\s*/g, '$1')
        .replace(/:\s+/g, ':');
      return `css\`${css.trim()}\``;
    });
    return { code: compacted, map: null };
  },
};

/**
 * plotly.js's strict distribution is one minified 5 MB file that sets `window.Plotly`. It
 * ships beside the chunks as it is: bundling it (parsing, source maps, minifying again)
 * would only slow the build down. The Plotly renderer imports it for that effect.
 */
const PLOTLY_DIST = 'plotly.js-strict-dist-min';

function plotlyAsIs() {
  let fileName;
  return {
    name: 'plotly-as-is',
    async buildStart() {
      const file = fileURLToPath(import.meta.resolve(PLOTLY_DIST));
      const source = await readFile(file);
      const hash = createHash('sha256').update(source).digest('base64url').slice(0, 8);
      fileName = `chunks/${PLOTLY_DIST}-${hash}.js`;
      this.emitFile({ type: 'asset', fileName, source });
    },
    resolveId(id) {
      // Chunks live in chunks/, beside the file.
      return id === PLOTLY_DIST
        ? { id: `./${fileName.slice('chunks/'.length)}`, external: true }
        : null;
    },
  };
}

/** The npm package a module belongs to, if any. */
const packageOf = (id) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id ?? '')?.[1];

/**
 * Names a chunk after what it holds: rollup's name, unless that is a generic file name
 * (`index`, `dist`, `lib`); then the package most of its modules come from
 * (`@codemirror/lang-python` -> `lang-python`).
 */
function chunkName({ name, facadeModuleId, moduleIds }) {
  if (!['index', 'dist', 'lib'].includes(name)) return name;
  const packages = moduleIds.map(packageOf).filter(Boolean);
  const count = (p) => packages.filter((other) => other === p).length;
  const main = packageOf(facadeModuleId) ?? [...packages].sort((a, b) => count(b) - count(a))[0];
  return main ? main.replace(/^@[^/]+\//, '') : name;
}

export default {
  input: { 'binder-cell': 'src/index.ts' },
  onwarn: quietAboutDependencies,
  // Lets lazy chunks import shared code from the entry module instead of a separate chunk.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: (chunk) => `chunks/${chunkName(chunk)}-[hash].js`,
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
    compactStyles,
    withoutSanitizeHtml,
    plotlyAsIs(),
    nodeResolve({
      browser: true,
      mainFields: ['module', 'browser', 'main'],
      exportConditions: ['browser', 'production'],
    }),
    // @jupyter-widgets/controls reads its version with require() inside an ES module.
    commonjs({ transformMixedEsModules: true }),
    json(),
    cssAsText,
    terser({ format: { comments: false } }),
  ],
};
