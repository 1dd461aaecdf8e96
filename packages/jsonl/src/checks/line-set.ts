// A set of line numbers as a bitmap: one bit a line up to the largest line added, so every
// line of a 1 GB file (at most tens of millions) costs a few MiB whatever how many are in it.

/** Line numbers (positive integers) as a growable bitmap. */
export class LineSet {
  #bits = new Uint8Array(1024);
  #size = 0;

  /** Adds `line` (again: nothing). */
  add(line: number): void {
    const byte = line >>> 3;
    if (byte >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, 2 * this.#bits.length));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const mask = 1 << (line & 7);
    if ((this.#bits[byte]! & mask) !== 0) return;
    this.#bits[byte]! |= mask;
    this.#size++;
  }

  /** Whether `line` was added. */
  has(line: number): boolean {
    const byte = line >>> 3;
    return byte < this.#bits.length && (this.#bits[byte]! & (1 << (line & 7))) !== 0;
  }

  /** Lines added. */
  get size(): number {
    return this.#size;
  }
}
