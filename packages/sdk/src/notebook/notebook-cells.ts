import type { ICodeCell, IOutput, MultilineString } from '@jupyterlab/nbformat';
import type { Output } from '../cell/output-model.js';
import { sentDisplay } from '../cell/sent-outputs.js';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';

/** Text as nbformat writes it: one string per line, each keeping its newline. */
export function lines(text: string): MultilineString {
  return text.split(/(?<=\n)/);
}

/**
 * One output in nbformat's shape: a display with every representation the kernel sent;
 * a stream with its text as shown (after `\r` and `\b`); an error with its traceback.
 */
function notebookOutput(output: Output): IOutput | undefined {
  switch (output.kind) {
    case 'stream':
      return { output_type: 'stream', name: output.name, text: lines(output.text) };
    case 'error':
      return {
        output_type: 'error',
        ename: output.ename,
        evalue: output.evalue,
        traceback: output.traceback,
      };
    default:
      return sentDisplay(output);
  }
}

/**
 * An element's HTML with relative `src` and `href` made absolute, so a notebook taken home
 * still points at the page's images and links.
 */
function portableHtml(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  for (const node of copy.querySelectorAll('[src], [href]')) {
    for (const name of ['src', 'href']) {
      const value = node.getAttribute(name);
      if (value !== null) node.setAttribute(name, new URL(value, element.baseURI).href);
    }
  }
  return copy.innerHTML.trim();
}

/** A cell's pre-rendered outputs (`slot="output"`), as the display a reader sees. */
function prerendered(cell: BinderCell): IOutput[] {
  return [...cell.querySelectorAll(':scope > [slot="output"]')].map((element) => ({
    output_type: 'display_data',
    data: {
      'text/html': lines(portableHtml(element)),
      'text/plain': lines(element.textContent?.trim() ?? ''),
    },
    metadata: {},
  }));
}

/**
 * A `<binder-cell>` as a notebook code cell: its code as it is now (edits included), the
 * outputs it shows and its execution count. Hidden cells keep their code, folded
 * (`jupyter.source_hidden`); setup cells are tagged `setup`. `index` makes the cell's `id`
 * (nbformat 4.5) when the element has no usable one.
 */
export function notebookCell(cell: BinderCell, index: number): ICodeCell {
  const outputs = cell.ran
    ? cell.outputs.flatMap((output) => notebookOutput(output) ?? [])
    : prerendered(cell);
  const id = /^[\w-]{1,64}$/.test(cell.id) ? cell.id : `cell-${index + 1}`;
  return {
    id,
    cell_type: 'code',
    metadata: {
      ...(cell.hidden ? { jupyter: { source_hidden: true } } : {}),
      ...(cell.setup ? { tags: ['setup'] } : {}),
    },
    source: lines(cell.code),
    execution_count: cell.ran ? cell.executionCount : null,
    outputs,
  };
}
