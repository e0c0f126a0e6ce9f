/**
 * Reads build output for a sense of progress: the step of a Docker build, or where pip
 * is. Servers send their builders' log lines as they are; these are the lines of pip
 * (`Collecting x`, `Installing collected packages: a, b`, `Successfully installed ...`),
 * Docker's classic builder (`Step 3/9 : RUN ...`) and BuildKit (`#7 [ 3/9] RUN ...`).
 */
export class BuildProgress {
  private found = 0;
  private step: string | undefined;
  private pip: string | undefined;

  /** Takes one log line; returns the new summary when it changed, else undefined. */
  add(line: string): string | undefined {
    const before = this.summary;
    this.read(line.trim());
    const after = this.summary;
    return after !== before ? after : undefined;
  }

  /** E.g. `step 3 of 9: installing 40 packages`; empty until something is known. */
  get summary(): string {
    return [this.step, this.pip].filter(Boolean).join(': ');
  }

  private read(line: string): void {
    const step =
      /^Step (\d+)\/(\d+) :/.exec(line) ?? /^#\d+ \[(?:[\w.-]+ +)?(\d+)\/(\d+)\]/.exec(line);
    if (step) {
      const next = `step ${step[1]} of ${step[2]}`;
      if (next !== this.step) {
        this.step = next;
        this.found = 0;
        this.pip = undefined;
      }
      return;
    }
    const text = line.replace(/^#\d+ [\d.]+ /, '');
    // `Processing <wheel>` is pip's word for a package from local files or links.
    if (/^(?:Collecting|Processing) \S/.test(text)) {
      this.found += 1;
      this.pip = `finding packages (${this.found})`;
      return;
    }
    const installing = /^Installing collected packages: (.+)$/.exec(text);
    if (installing) {
      this.pip = `installing ${count(installing[1] as string)}`;
      return;
    }
    const installed = /^Successfully installed (.+)$/.exec(text);
    if (installed) this.pip = `installed ${count(installed[1] as string)}`;
  }
}

function count(list: string): string {
  const packages = list.split(/[,\s]+/).filter(Boolean).length;
  return packages === 1 ? '1 package' : `${packages} packages`;
}
