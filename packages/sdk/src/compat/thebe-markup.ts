import type { BinderCell } from '../components/binder-cell/binder-cell.component.js';
import type { ThebePlan } from './thebe-config.js';

type MarkupPlan = Pick<
  ThebePlan,
  'selector' | 'outputSelector' | 'predefinedOutput' | 'language' | 'readonly' | 'prompts'
>;

/** Cells of sphinx-thebe and MyST-NB that run as soon as the kernel is ready. */
const INIT_CELLS = '.thebe-init, .tag_thebe-init';

/**
 * The element right after `source`, or, when `source` is the last of its parent, the one
 * right after the nearest ancestor that has one: the output area of a Jupyter Book cell
 * (`.cell_input pre` → `.cell_output`) or an nbconvert cell (`.jp-InputArea-editor` →
 * `.jp-Cell-outputWrapper`) follows the code's wrapper, not the code.
 */
function followingElement(source: Element): Element | null {
  let node: Element | null = source;
  while (node && !node.nextElementSibling && node.parentElement !== node.ownerDocument.body) {
    node = node.parentElement;
  }
  return node?.nextElementSibling ?? null;
}

/**
 * Replaces each element matching the plan's selector with a `<binder-cell>` holding its
 * code, and the output element right after it or its wrappers (see followingElement), if
 * it matches the output selector, as the cell's pre-rendered output. Returns the new cells, in page order.
 */
export function upgradeCells(root: ParentNode, plan: MarkupPlan): BinderCell[] {
  return [...root.querySelectorAll(plan.selector)]
    .filter((source) => !source.closest('binder-cell'))
    .flatMap((source) => (source.isConnected ? [upgradeCell(source, plan)] : []));
}

function upgradeCell(source: Element, plan: MarkupPlan): BinderCell {
  const cell = source.ownerDocument.createElement('binder-cell');
  const code = source.ownerDocument.createElement('pre');
  code.textContent = source.textContent ?? '';
  cell.append(code);
  cell.classList.add('thebe-cell');
  if (source.id) cell.id = source.id;
  const language = source.getAttribute('data-language') ?? plan.language;
  if (language) cell.setAttribute('language', language);
  const readonly = source.getAttribute('data-readonly');
  if (readonly === null ? plan.readonly : readonly !== 'false') cell.setAttribute('readonly', '');
  if (source.closest(INIT_CELLS)) cell.setAttribute('setup', '');
  if (plan.prompts) {
    cell.setAttribute('in-prompt', plan.prompts.input);
    cell.setAttribute('continuation-prompt', plan.prompts.continuation);
  }
  const output = followingElement(source);
  if (plan.predefinedOutput && output?.matches(plan.outputSelector)) {
    output.setAttribute('slot', 'output');
    cell.append(output);
  }
  source.replaceWith(cell);
  return cell;
}
