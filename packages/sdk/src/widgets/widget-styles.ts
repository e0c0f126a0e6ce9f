import widgetsCss from '@jupyter-widgets/controls/css/widgets.built.css';

let sheet: CSSStyleSheet | undefined;

/** Dark colours for the variables the widget styles use, following the page's colour scheme. */
const DARK = `@media (prefers-color-scheme: dark) {
  :host {
    --jp-layout-color0: #111;
    --jp-layout-color1: #1e1e1e;
    --jp-layout-color2: #2b2b2b;
    --jp-layout-color3: #444;
    --jp-ui-font-color0: #fff;
    --jp-ui-font-color1: #ddd;
    --jp-ui-font-color2: #aaa;
    --jp-ui-font-color3: #777;
    --jp-border-color1: #555;
    --jp-border-color2: #444;
    --jp-widgets-color: #ddd;
    --jp-widgets-label-color: #ddd;
    --jp-widgets-readout-color: #ddd;
    --jp-widgets-input-color: #ddd;
    --jp-widgets-input-background-color: #1e1e1e;
    --jp-widgets-input-border-color: #555;
    --jp-widgets-slider-active-handle-color: #4a9eff;
  }
}`;

/**
 * Puts ipywidgets' styles into a cell's shadow root: page styles cannot reach widgets
 * there, and these styles stay out of the page. Variables declared for `:root` are
 * declared for the shadow host instead.
 */
export function adoptWidgetStyles(root: Node): void {
  if (!(root instanceof ShadowRoot)) return;
  sheet ??= makeSheet();
  if (!root.adoptedStyleSheets.includes(sheet))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

function makeSheet(): CSSStyleSheet {
  const made = new CSSStyleSheet();
  made.replaceSync(widgetsCss.replaceAll(':root', ':host') + DARK);
  return made;
}
