import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../test-support/app.js';
import type { TestApp } from '../test-support/app.js';
import { tempFolder } from '../test-support/temp-folder.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const get = (path: string) => fetch(new URL(path, app?.url), { redirect: 'manual' });

describe('the static routes', () => {
  it('describe the API at / and answer JSON 404s elsewhere', async () => {
    app = await startTestApp();
    expect(await (await get('')).json()).toMatchObject({ launch: '/api/v1/launch' });
    const missing = await get('nothing/here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'not found' });
    expect((await get('sdk/binder-cell.js')).status).toBe(404);
  });

  it('serve example pages at /examples/ (and / leads there) and the SDK at /sdk/', async () => {
    const examplesDir = await tempFolder({ 'index.html': '<binder-cell></binder-cell>' });
    const sdkDir = await tempFolder({ 'binder-cell.js': 'export {};\n' });
    app = await startTestApp({ config: { examplesDir }, sdkDir });
    expect(await (await get('examples/index.html')).text()).toBe('<binder-cell></binder-cell>');
    const root = await get('');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/examples/');
    const sdk = await get('sdk/binder-cell.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
  });

  it('serve the built documentation site at /docs/', async () => {
    const docsDir = await tempFolder({ 'getting-started.html': '<h1>Getting started</h1>' });
    app = await startTestApp({ config: { docsDir } });
    expect(await (await get('docs/getting-started.html')).text()).toBe('<h1>Getting started</h1>');
    expect((await get('docs/nothing.html')).status).toBe(404);
  });
});

describe('the SDK at /sdk/', () => {
  it('may be loaded by a page on any origin, compressed, its hashed chunks cached for good', async () => {
    const entry = `export const text = ${JSON.stringify('binder-cell '.repeat(500))};\n`;
    const sdkDir = await tempFolder({
      'binder-cell.js': entry,
      'chunks/editor-Ab12Cd34.js': entry,
    });
    app = await startTestApp({ sdkDir });
    const fromElsewhere = { origin: 'https://course.example.org', 'accept-encoding': 'gzip' };
    const response = await fetch(new URL('sdk/binder-cell.js', app.url), {
      headers: fromElsewhere,
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.text()).toBe(entry);

    const chunk = await fetch(new URL('sdk/chunks/editor-Ab12Cd34.js', app.url), {
      headers: fromElsewhere,
    });
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
