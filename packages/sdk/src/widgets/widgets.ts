/**
 * ipywidgets support, loaded when a kernel first opens a widget comm: pages without
 * widgets never download it.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import * as base from '@jupyter-widgets/base';
import { KernelWidgetManager } from './kernel-widget-manager.js';
import type { WidgetOptions } from './kernel-widget-manager.js';
import { addManager, managerForKernel } from './managers.js';
import { BinderWidgetView } from './widget-view.js';

export type { WidgetOptions } from './kernel-widget-manager.js';

if (!customElements.get('binder-widget-view'))
  customElements.define('binder-widget-view', BinderWidgetView);

/** Hands a `jupyter.widget` comm the kernel opened to that kernel's widget manager. */
export async function openWidgetComm(
  kernel: Kernel.IKernelConnection,
  comm: Kernel.IComm,
  message: KernelMessage.ICommOpenMsg,
  options: WidgetOptions,
): Promise<void> {
  let manager = managerForKernel(kernel);
  if (!manager) {
    const created = new KernelWidgetManager(kernel, options);
    kernel.statusChanged.connect((_, status) => {
      if (status === 'restarting' || status === 'autorestarting') void created.clear_state();
    });
    addManager(created);
    manager = created;
  }
  await manager.handle_comm_open(new base.shims.services.Comm(comm), message);
}
