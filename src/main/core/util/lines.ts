// Splits a byte stream into lines with a hard cap on a pending (newline-less) line, so a miner that
// floods output without newlines cannot grow our memory without bound.

export class LineSplitter {
  private pending = '';

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxPending = 16_384,
  ) {}

  write(chunk: string): void {
    const text = this.pending + chunk;
    const parts = text.split(/\r?\n/);
    this.pending = parts.pop()!; // split always gives at least one piece: the unfinished line
    for (const line of parts) this.emit(line);
    while (this.pending.length > this.maxPending) {
      this.emit(this.pending.slice(0, this.maxPending));
      this.pending = this.pending.slice(this.maxPending);
    }
  }

  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }
}
