/** Keeps the last `size` lines pushed into it. */
export class LineTail {
  private readonly buffer: string[] = [];

  constructor(private readonly size: number) {}

  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length > this.size) this.buffer.shift();
  }

  lines(): string[] {
    return [...this.buffer];
  }
}
