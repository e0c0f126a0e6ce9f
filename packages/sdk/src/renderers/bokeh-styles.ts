/**
 * BokehJS 3 styles each view with `<style>` elements in the view's shadow root (its
 * `InlineStyleSheet`, module core/dom), which a strict Content-Security-Policy refuses.
 * This makes them constructed stylesheets, which no CSP governs: the `<style>` element
 * gives way to an inert `<template>` marker holding the same text, and each shadow root
 * (or the document) adopts one sheet per marker it holds, in document order.
 */

/** The part of an `InlineStyleSheet` (bokehjs/src/lib/core/dom.ts) this relies on. */
interface InlineStyleSheet {
  el: HTMLElement;
}

interface StyleSheetClass {
  prototype: InlineStyleSheet & {
    install(target: Node): void;
    uninstall(): void;
    remove(): void;
    _update(css: string): void;
  };
}

const MARKER = 'data-binder-cell-bokeh-css';
const sheets = new WeakMap<Element, { css: string; sheet: CSSStyleSheet }>();
const ours = new WeakSet<CSSStyleSheet>();

/** Makes the root's adopted sheets match the markers it holds. */
function sync(root: Node): void {
  if (!(root instanceof ShadowRoot || root instanceof Document)) return;
  const wanted = [...root.querySelectorAll(`template[${MARKER}]`)].map((marker) => {
    const css = marker.textContent ?? '';
    let entry = sheets.get(marker);
    if (!entry) {
      entry = { css: '', sheet: new CSSStyleSheet() };
      sheets.set(marker, entry);
      ours.add(entry.sheet);
    }
    if (entry.css !== css) {
      entry.sheet.replaceSync(css);
      entry.css = css;
    }
    return entry.sheet;
  });
  root.adoptedStyleSheets = [
    ...root.adoptedStyleSheets.filter((sheet) => !ours.has(sheet)),
    ...wanted,
  ];
}

const markers = new WeakMap<HTMLStyleElement, HTMLElement>();

/** The marker standing in for a `<style>` element (the same one each time). */
function markerFor(style: HTMLStyleElement): HTMLElement {
  let marker = markers.get(style);
  if (!marker) {
    marker = document.createElement('template');
    marker.setAttribute(MARKER, '');
    for (const [key, value] of Object.entries(style.dataset)) marker.dataset[key] = value;
    markers.set(style, marker);
  }
  marker.textContent = style.textContent;
  return marker;
}

function markerOf(stylesheet: InlineStyleSheet): HTMLElement {
  if (stylesheet.el instanceof HTMLStyleElement) stylesheet.el = markerFor(stylesheet.el);
  return stylesheet.el;
}

const swap = (node: Node | string) => (node instanceof HTMLStyleElement ? markerFor(node) : node);

/**
 * While BokehJS's bundles run, their module code already installs a few stylesheets
 * (the notification panels it adds to the page), before `adaptBokehStyles` can reach
 * its classes: `<style>` elements appended to a shadow root or to document.head then
 * become markers too. Returns what stops the catching.
 */
export function catchBokehStyles(): () => void {
  const head = document.head;
  ShadowRoot.prototype.append = function append(this: ShadowRoot, ...nodes: (Node | string)[]) {
    DocumentFragment.prototype.append.apply(this, nodes.map(swap));
    sync(this);
  };
  head.appendChild = function appendChild<T extends Node>(node: T): T {
    Node.prototype.appendChild.call(head, swap(node) as Node);
    if (node instanceof HTMLStyleElement) sync(document);
    return node;
  };
  return () => {
    Reflect.deleteProperty(ShadowRoot.prototype, 'append');
    Reflect.deleteProperty(head, 'appendChild');
  };
}

/**
 * Adapts a loaded BokehJS (one version; its plugins share its classes). Does nothing for
 * versions without `require('core/dom').InlineStyleSheet` (before 3.0), which add their
 * styles to the document instead.
 */
export function adaptBokehStyles(require: ((module: string) => unknown) | undefined): void {
  const dom = require?.('core/dom') as
    { InlineStyleSheet?: StyleSheetClass; GlobalInlineStyleSheet?: StyleSheetClass } | undefined;
  const inline = dom?.InlineStyleSheet?.prototype;
  if (!inline || Object.hasOwn(inline, MARKER)) return;
  Object.defineProperty(inline, MARKER, { value: true });
  inline.install = function install(this: InlineStyleSheet, target: Node) {
    const marker = markerOf(this);
    (target as ParentNode).append(marker);
    sync(marker.getRootNode());
  };
  inline._update = function update(this: InlineStyleSheet, css: string) {
    this.el.textContent = css;
    if (this.el.isConnected) sync(this.el.getRootNode());
  };
  inline.uninstall = inline.remove = function remove(this: InlineStyleSheet) {
    const root = this.el.getRootNode();
    this.el.remove();
    sync(root);
  };
  const global = dom?.GlobalInlineStyleSheet?.prototype;
  if (global && Object.hasOwn(global, 'install')) {
    global.install = function install(this: InlineStyleSheet) {
      const marker = markerOf(this);
      if (!marker.isConnected) document.head.append(marker);
      sync(document);
    };
  }
}
