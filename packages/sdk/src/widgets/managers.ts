import type { KernelWidgetManager } from './kernel-widget-manager.js';

const managers = new Set<KernelWidgetManager>();

export function addManager(manager: KernelWidgetManager): void {
  managers.add(manager);
  manager.kernel.disposed.connect(() => managers.delete(manager));
}

export function managerForKernel(
  kernel: KernelWidgetManager['kernel'],
): KernelWidgetManager | undefined {
  return [...managers].find((manager) => manager.kernel === kernel);
}

/** The manager holding a model: model ids are unique across kernels. */
export function managerOwning(modelId: string): KernelWidgetManager | undefined {
  return [...managers].find((manager) => manager.has_model(modelId));
}
