import { fixture } from '@open-wc/testing';
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import '../src/components/binder-cell/binder-cell.js';
import '../src/components/binder-config/binder-config.js';
import type { BinderCell } from '../src/components/binder-cell/binder-cell.component.js';
import { testServer, waitFor } from './server.js';

/** Reading a cell through its shadow root, as a reader sees it. */
export const shadow = (cell: Element) => cell.shadowRoot as ShadowRoot;
export const part = <T extends Element = HTMLElement>(cell: Element, name: string) =>
  shadow(cell).querySelector<T>(`[part~="${name}"]`);
export const runButton = (cell: BinderCell) => part<HTMLButtonElement>(cell, 'run-button')!;
export const statusText = (cell: BinderCell) => part(cell, 'status')?.textContent?.trim() ?? '';
export const outputs = (cell: BinderCell) => part(cell, 'outputs')!;
export const outputText = (cell: BinderCell) => outputs(cell).textContent ?? '';

/** Renders `template` and returns its cells, once they have rendered. */
export async function cellsIn(template: TemplateResult): Promise<BinderCell[]> {
  const container = await fixture<HTMLElement>(template);
  const cells = [...container.querySelectorAll('binder-cell')];
  await Promise.all(cells.map((cell) => cell.updateComplete));
  return cells;
}

/** Cells sharing the page's default session on the test server's `local/<repo>`. */
export function cellsOn(repo: string, ...codes: string[]): Promise<BinderCell[]> {
  return cellsIn(
    html`<div>
      <binder-config server=${testServer()} repo=${`local/${repo}`}></binder-config>
      ${codes.map((code) => html`<binder-cell><pre>${code}</pre></binder-cell>`)}
    </div>`,
  );
}

export async function runAndWait(cell: BinderCell): Promise<void> {
  await cell.run();
  await cell.updateComplete;
}

/** Waits until the cell's outputs contain `text`. */
export function waitForOutput(cell: BinderCell, text: string, timeoutMs?: number) {
  return waitFor(() => outputText(cell).includes(text), `"${text}" in the outputs`, timeoutMs);
}

// Room for every module a test page loads (the default keeps 250 entries).
performance.setResourceTimingBufferSize(10_000);

/** Names of the modules the page has loaded so far (to tell what loaded lazily). */
export function loadedModules(): string[] {
  return performance.getEntriesByType('resource').map((entry) => entry.name);
}
