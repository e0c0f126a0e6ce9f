/**
 * Runs the scripts of HTML set with innerHTML (which never runs them), in document order,
 * the way a trusted notebook output runs them: each is replaced by a copy, which the
 * browser runs. External scripts load one after another, so that a script using a
 * library runs after the library.
 */
export function runScriptsIn(container: HTMLElement): void {
  const scripts = [...container.querySelectorAll('script')];
  void scripts.reduce(
    (previous, script) => previous.then(() => replaceAndRun(script)),
    Promise.resolve(),
  );
}

function replaceAndRun(old: HTMLScriptElement): Promise<void> {
  const script = document.createElement('script');
  for (const { name, value } of old.attributes) script.setAttribute(name, value);
  script.textContent = old.textContent;
  if (!script.src) {
    old.replaceWith(script);
    return Promise.resolve();
  }
  script.async = false;
  return new Promise((resolve) => {
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener('error', () => resolve(), { once: true });
    old.replaceWith(script);
  });
}
