/** The comm target ipywidgets opens its models on. */
export const WIDGET_COMM_TARGET = 'jupyter.widget';
