import type { ICodeCell, INotebookContent, INotebookMetadata } from '@jupyterlab/nbformat';
import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import { editorLanguage } from '../editor/language.js';
import { notebookCell } from './notebook-cells.js';

/** The newest notebook format, whose cells carry an `id`. */
const NBFORMAT = { nbformat: 4, nbformat_minor: 5 } as const;

/**
 * `kernelspec` and `language_info` of the cells' kernel: the running kernel's own, or,
 * before any kernel started, what the kernel's name and the cells' language tell.
 */
async function notebookMetadata(
  cells: BinderCell[],
  kernelName: string,
): Promise<INotebookMetadata> {
  const kernel = cells.map((cell) => cell.session?.kernel).find((found) => found !== undefined);
  if (kernel) {
    const [spec, info] = await Promise.all([kernel.spec, kernel.info]);
    return {
      kernelspec: {
        name: kernel.name,
        display_name: spec?.display_name ?? kernel.name,
        language: spec?.language ?? info.language_info.name,
      },
      language_info: info.language_info,
    };
  }
  const language = editorLanguage(cells[0]?.language ?? null, kernelName) || kernelName;
  return {
    kernelspec: { name: kernelName, display_name: kernelName, language },
    language_info: { name: language },
  };
}

/**
 * The cells as one nbformat 4.5 notebook, in page order, with the outputs they show now.
 * A notebook has one kernel: throws an Error naming the kernels when the cells use more
 * than one (pick a group with `session`).
 */
export async function pageNotebook(cells: BinderCell[]): Promise<INotebookContent> {
  const kernels = [...new Set(cells.map((cell) => cell.session?.settings.kernel ?? 'python3'))];
  if (kernels.length > 1) {
    throw new Error(
      `These cells run on more than one kernel (${kernels.join(', ')}), and a notebook has one: ` +
        'export one group of cells at a time ({ session: "<name>" }).',
    );
  }
  const ids = new Set<string>();
  const notebookCells: ICodeCell[] = cells.map((cell, index) => {
    const converted = notebookCell(cell, index);
    // Cell ids are unique in a notebook; an element's id may repeat another's `cell-<n>`.
    if (ids.has(converted.id as string)) converted.id = `cell-${index + 1}-${ids.size}`;
    ids.add(converted.id as string);
    return converted;
  });
  return {
    ...NBFORMAT,
    metadata: await notebookMetadata(cells, kernels[0] ?? 'python3'),
    cells: notebookCells,
  };
}

/** Saves `notebook` as a file named `filename`, as a download of the page. */
export function saveNotebook(notebook: INotebookContent, filename: string): void {
  const blob = new Blob([`${JSON.stringify(notebook, null, 1)}\n`], {
    type: 'application/x-ipynb+json',
  });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(link.href));
}

/** `/book/chapter-2.html` → `chapter-2.ipynb`; with a group, `chapter-2-<group>.ipynb`. */
export function notebookFilename(pathname: string, session?: string): string {
  const page =
    pathname
      .split('/')
      .pop()
      ?.replace(/\.[^.]*$/, '') || 'page';
  return `${page}${session ? `-${session}` : ''}.ipynb`;
}
