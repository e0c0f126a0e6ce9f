import {
  OutputModel as BaseOutputModel,
  OutputView as BaseOutputView,
} from '@jupyter-widgets/output';
import type { KernelMessage } from '@jupyterlab/services';
import { html, render } from 'lit';
import { OutputModel as Outputs } from '../cell/output-model.js';
import { renderOutput } from '../cell/render-output.js';
import type { KernelWidgetManager } from './kernel-widget-manager.js';

const OUTPUTS_CHANGED = 'outputs-changed';
const CAPTURED = new Set([
  'stream',
  'display_data',
  'execute_result',
  'update_display_data',
  'error',
  'clear_output',
]);

/** An output as nbformat stores it (the Output widget's `outputs` trait). */
interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  [field: string]: unknown;
}

/**
 * ipywidgets' Output widget: while the kernel runs code inside `with out:`, it sets
 * `msg_id` to that request, and every output of the request shows in the widget
 * instead of in the cell.
 */
export class OutputModel extends BaseOutputModel {
  // Backbone calls initialize() from its constructor, before field initialisers would run.
  declare outputs: Outputs;
  private capturing: string | undefined;

  override initialize(...args: Parameters<BaseOutputModel['initialize']>): void {
    super.initialize(...args);
    this.outputs = new Outputs();
    this.on('change:msg_id', () => this.capture(this.get('msg_id') as string));
    this.on('change:outputs', () => this.takeOutputs());
    this.takeOutputs();
  }

  private get manager(): KernelWidgetManager {
    return this.widget_manager as KernelWidgetManager;
  }

  private capture(msgId: string): void {
    const { kernel } = this.manager;
    if (this.capturing) kernel.removeMessageHook(this.capturing, this.onMessage);
    this.capturing = msgId || undefined;
    if (this.capturing) kernel.registerMessageHook(this.capturing, this.onMessage);
  }

  /** Takes the outputs of the request being captured; returning false keeps them from the cell. */
  private readonly onMessage = (message: KernelMessage.IIOPubMessage): boolean => {
    if (!CAPTURED.has(message.header.msg_type)) return true;
    if (this.outputs.apply(message, this.manager.options)) this.trigger(OUTPUTS_CHANGED);
    return false;
  };

  /** Outputs set from Python (`out.outputs = ...`, `append_stdout`, `clear_output`). */
  private takeOutputs(): void {
    this.outputs.clear();
    for (const output of (this.get('outputs') as NotebookOutput[] | undefined) ?? []) {
      const { output_type: type, ...content } = output;
      const message = {
        header: { msg_type: type },
        content,
      } as unknown as KernelMessage.IIOPubMessage;
      this.outputs.apply(message, this.manager.options);
    }
    this.trigger(OUTPUTS_CHANGED);
  }
}

export class OutputView extends BaseOutputView {
  declare model: OutputModel;

  override render(): void {
    this.el.classList.add('jupyter-widgets-output-area');
    this.listenTo(this.model, OUTPUTS_CHANGED, () => this.draw());
    this.draw();
  }

  private draw(): void {
    render(html`${this.model.outputs.outputs.map(renderOutput)}`, this.el);
  }
}
