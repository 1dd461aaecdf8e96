// Byte offset → 1-based line number, for parsers that report byte offsets (csv-parse's own
// line count is wrong for CRLF files; @streamparser/json reports offsets only). Offsets are
// asked in increasing order, so the index keeps only the chunks the cursor has not passed.

const LF = 0x0a;
const CR = 0x0d;

export class LineIndex {
  private chunks: Uint8Array[] = [];
  /** Source offset of chunks[0]. */
  private base = 0;
  /** The cursor: every LF before it is counted in `line`. */
  private pos = 0;
  private line = 1;

  /** Adds the next chunk of the source (kept until the cursor passes it). */
  add(chunk: Uint8Array): void {
    if (chunk.length > 0) this.chunks.push(chunk);
  }

  /** The line of the byte at `offset`; offsets before the cursor answer the cursor's line. */
  lineAt(offset: number): number {
    while (this.pos < offset && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const from = this.pos - this.base;
      const to = Math.min(chunk.length, offset - this.base);
      let at = chunk.indexOf(LF, from);
      while (at !== -1 && at < to) {
        this.line++;
        at = chunk.indexOf(LF, at + 1);
      }
      this.pos = this.base + to;
      if (to === chunk.length) {
        this.base += chunk.length;
        this.chunks.shift();
      }
    }
    return this.line;
  }

  /** The byte at `offset` (at or after the cursor), or undefined past the data added. */
  byteAt(offset: number): number | undefined {
    let base = this.base;
    for (const chunk of this.chunks) {
      if (offset < base + chunk.length) return offset >= base ? chunk[offset - base] : undefined;
      base += chunk.length;
    }
    return undefined;
  }

  /** The first offset at or after `offset` that is not CR or LF (skips empty lines). */
  skipLineEnds(offset: number, end: number): number {
    let at = offset;
    while (at < end) {
      const b = this.byteAt(at);
      if (b !== LF && b !== CR) break;
      at++;
    }
    return at;
  }

  /** How many bytes of line end (`\n` or `\r\n`) sit just before `end`, not before `start`. */
  lineEndBefore(start: number, end: number): number {
    if (end - 1 < start || this.byteAt(end - 1) !== LF) return 0;
    return end - 2 >= start && this.byteAt(end - 2) === CR ? 2 : 1;
  }
}
