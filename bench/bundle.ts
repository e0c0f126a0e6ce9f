/**
 * What a page downloads for the SDK: the entry module and everything it imports statically,
 * each lazily loaded chunk, and Thebe's published main bundle (fetched with `npm pack`) for
 * comparison. Builds the SDK first, as `npm run build -w binder-cell` does, through rollup's
 * API so the import graph comes from rollup's own output.
 *
 *   npm run bench:bundle
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import type { OutputAsset, OutputChunk } from 'rollup';
import { loadConfigFile } from 'rollup/loadConfigFile';

const SDK_DIR = join(import.meta.dirname, '..', 'packages', 'sdk');
const TARGET_GZIP = 64 * 1024;
const THEBE = 'thebe@0.9.3';

interface Size {
  raw: number;
  gzip: number;
}

const run = promisify(execFile);
const sizeOf = (bytes: Uint8Array | string): Size => ({
  raw: Buffer.byteLength(bytes),
  gzip: gzipSync(bytes).length,
});
const total = (sizes: Size[]): Size => ({
  raw: sizes.reduce((sum, size) => sum + size.raw, 0),
  gzip: sizes.reduce((sum, size) => sum + size.gzip, 0),
});
const bytes = (value: number) => `${value.toLocaleString('en-US')} B`;

/**
 * `rollup -c` in packages/sdk, after the build script's clean of dist/: its chunks, and
 * the JavaScript files it ships as they are (plotly.js's dist file).
 */
async function buildSdk(): Promise<{ chunks: OutputChunk[]; scripts: OutputAsset[] }> {
  const cwd = process.cwd();
  process.chdir(SDK_DIR);
  try {
    await rm('dist', { recursive: true, force: true });
    const { options, warnings } = await loadConfigFile('rollup.config.js', {});
    const chunks: OutputChunk[] = [];
    const scripts: OutputAsset[] = [];
    for (const inputOptions of options) {
      const bundle = await rollup(inputOptions);
      for (const outputOptions of inputOptions.output) {
        const { output } = await bundle.write(outputOptions);
        chunks.push(...output.filter((file): file is OutputChunk => file.type === 'chunk'));
        scripts.push(
          ...output.filter(
            (file): file is OutputAsset => file.type === 'asset' && file.fileName.endsWith('.js'),
          ),
        );
      }
      await bundle.close();
    }
    warnings.flush();
    return { chunks, scripts };
  } finally {
    process.chdir(cwd);
  }
}

/** `fileName` and every chunk it imports statically, transitively. */
function staticClosure(fileName: string, byFile: Map<string, OutputChunk>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imported of byFile.get(name)?.imports ?? []) visit(imported);
  };
  visit(fileName);
  return seen;
}

/** Thebe's main bundle as npm publishes it, or why npm could not fetch it. */
async function measureThebe(): Promise<{ file: string; size: Size } | { skipped: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'binder-cell-bench-thebe-'));
  try {
    let stdout: string;
    try {
      ({ stdout } = await run('npm', ['pack', THEBE, '--json', '--pack-destination', dir]));
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      const npmError = stderr?.split('\n').find((line) => line.startsWith('npm error '));
      return { skipped: npmError ? `npm pack failed: ${npmError.slice(10)}` : message };
    }
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await run('tar', ['-xzf', join(dir, filename), '-C', dir]);
    const manifest = JSON.parse(await readFile(join(dir, 'package', 'package.json'), 'utf8')) as {
      main?: string;
      unpkg?: string;
    };
    const file = manifest.unpkg ?? manifest.main ?? 'index.js';
    return { file, size: sizeOf(await readFile(join(dir, 'package', file))) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const { chunks, scripts } = await buildSdk();
const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
const entry = chunks.find((chunk) => chunk.isEntry);
if (!entry) throw new Error('the SDK build has no entry chunk');
const entryFiles = staticClosure(entry.fileName, byFile);
const sizes = new Map([
  ...chunks.map((chunk) => [chunk.fileName, sizeOf(chunk.code)] as const),
  ...scripts.map((script) => [script.fileName, sizeOf(script.source)] as const),
]);
const sizeOfFile = (name: string) => sizes.get(name) ?? { raw: 0, gzip: 0 };
const entrySize = total([...entryFiles].map(sizeOfFile));
const thebe = await measureThebe();

/** What a chunk is: its file name without folder and hash (`chunks/purify.es-Bh5g8Quy.js` -> purify). */
const shortName = (chunk: OutputChunk) =>
  basename(chunk.fileName).replace(/(\.es)?-[\w-]{8}\.js$/, '');

/** The chunk that imports a file, as `./name` relative to chunks/ (`import()` of a shipped script). */
const importersOf = (fileName: string) =>
  chunks.filter((c) =>
    [...c.imports, ...c.dynamicImports].some(
      (imported) => imported === fileName || imported === `./${basename(fileName)}`,
    ),
  );

/** How a lazy chunk gets loaded, and what loading it costs with its own imports. */
function lazyNote(chunk: OutputChunk): string {
  const shipped = scripts.filter((script) => importersOf(script.fileName).includes(chunk));
  if (shipped.length > 0) {
    const withScripts = total([chunk.fileName, ...shipped.map((s) => s.fileName)].map(sizeOfFile));
    return `dynamic import; ${bytes(withScripts.gzip)} gzip with ${shipped.map((s) => basename(s.fileName)).join(', ')}`;
  }
  if (!chunk.isDynamicEntry) {
    const importers = chunks.filter((c) => c.imports.includes(chunk.fileName));
    return `shared, imported by ${importers.map(shortName).join(', ')}`;
  }
  const loaded = [...staticClosure(chunk.fileName, byFile)].filter((name) => !entryFiles.has(name));
  if (loaded.length === 1) return 'dynamic import';
  return `dynamic import; ${bytes(total(loaded.map(sizeOfFile)).gzip)} gzip with its imports`;
}

const row = (label: string, size: Size, note = '') =>
  `${label.padEnd(46)} ${bytes(size.raw).padStart(12)} ${bytes(size.gzip).padStart(11)}  ${note}`.trimEnd();

console.log('gzip: node:zlib gzipSync at its default level (6); sizes of the minified files');
console.log(`${''.padEnd(46)} ${'raw'.padStart(12)} ${'gzip'.padStart(11)}`);
console.log(row(`entry ${entry.fileName} + static imports`, entrySize));
for (const name of entryFiles) console.log(row(`  ${name}`, sizeOfFile(name)));
console.log('lazy chunks (outside the entry, loaded on demand)');
for (const chunk of chunks.filter((c) => !entryFiles.has(c.fileName))) {
  console.log(
    row(
      `  ${shortName(chunk).padEnd(12)} ${chunk.fileName}`,
      sizeOfFile(chunk.fileName),
      lazyNote(chunk),
    ),
  );
}
for (const script of scripts) {
  const by = importersOf(script.fileName).map(shortName).join(', ');
  console.log(
    row(
      `  ${basename(script.fileName)}`,
      sizeOfFile(script.fileName),
      `as shipped; loaded by ${by}`,
    ),
  );
}
const renderers = ['plotly', 'vega', 'bokeh'];
console.log('plot renderers (each loads with the first plot of its kind)');
for (const name of renderers) {
  const chunk = chunks.find((c) => c.isDynamicEntry && shortName(c) === name);
  if (!chunk) {
    console.log(`  ${name}: skipped: no chunk of that name in the build`);
    continue;
  }
  const files = [...staticClosure(chunk.fileName, byFile)].filter((f) => !entryFiles.has(f));
  const shipped = scripts.filter((script) => importersOf(script.fileName).includes(chunk));
  console.log(
    row(
      `  ${name}`,
      total([...files, ...shipped.map((s) => s.fileName)].map(sizeOfFile)),
      'with everything it loads',
    ),
  );
}
if ('skipped' in thebe) {
  console.log(`thebe: skipped: ${thebe.skipped}`);
} else {
  console.log(row(`${THEBE} ${thebe.file} (npm pack)`, thebe.size));
  console.log(
    `entry / thebe: ${(entrySize.gzip / thebe.size.gzip).toFixed(3)} gzip, ${(entrySize.raw / thebe.size.raw).toFixed(3)} raw`,
  );
}
console.log(
  `entry under the 64 KB gzip target (${bytes(TARGET_GZIP)}): ${entrySize.gzip < TARGET_GZIP ? 'yes' : 'no'}`,
);
