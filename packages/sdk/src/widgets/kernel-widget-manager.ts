import * as base from '@jupyter-widgets/base';
import type { WidgetModel, WidgetView } from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import type { Kernel } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import { loadAmdModule } from './amd-loader.js';
import type { ModuleLoader } from './amd-loader.js';
import { WIDGET_COMM_TARGET } from './protocol.js';

export interface WidgetOptions {
  /** Where third-party widget modules load from; `{name}` and `{version}` are replaced. */
  moduleUrl: string;
  /** Makes kernel HTML safe to show (Output widgets, HTML widgets' descriptions). */
  sanitize: (html: string) => string;
  allowJavascript: boolean;
}

type WidgetClass = typeof WidgetModel | typeof WidgetView;

/**
 * The ipywidgets state of one kernel: models created over `jupyter.widget` comms, the
 * built-in widget modules, and third-party modules loaded from `moduleUrl`.
 */
export class KernelWidgetManager extends ManagerBase {
  private readonly modules: ModuleLoader = (name, version) => this.loadModule(name, version);

  constructor(
    readonly kernel: Kernel.IKernelConnection,
    readonly options: WidgetOptions,
  ) {
    super();
  }

  override inline_sanitize(source: string): string {
    return this.options.sanitize(source);
  }

  protected async loadClass(
    className: string,
    moduleName: string,
    moduleVersion: string,
  ): Promise<WidgetClass> {
    const module = await this.loadModule(moduleName, moduleVersion);
    const found = module[className] as WidgetClass | undefined;
    if (!found)
      throw new Error(`Widget class ${className} is not in ${moduleName}@${moduleVersion}.`);
    return found;
  }

  private async loadModule(name: string, version: string): Promise<Record<string, unknown>> {
    switch (name) {
      case '@jupyter-widgets/base':
        return base;
      case '@jupyter-widgets/controls':
        return import('@jupyter-widgets/controls');
      case '@jupyter-widgets/output':
        return import('./output-widget.js');
      default:
        return loadAmdModule(name, version, this.options.moduleUrl, this.modules);
    }
  }

  protected _create_comm(
    targetName: string,
    modelId?: string,
    data?: JSONObject,
    metadata?: JSONObject,
    buffers?: ArrayBuffer[] | ArrayBufferView[],
  ): Promise<base.IClassicComm> {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data ?? {}, metadata, buffers);
    return Promise.resolve(new base.shims.services.Comm(comm));
  }

  protected async _get_comm_info(): Promise<Record<string, unknown>> {
    const reply = await this.kernel.requestCommInfo({ target_name: WIDGET_COMM_TARGET });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}
