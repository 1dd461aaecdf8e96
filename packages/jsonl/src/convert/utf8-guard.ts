// Converters hand bytes to parsers that decode leniently (csv-parse and @streamparser/json
// would turn a Latin-1 byte into U+FFFD without a word). The guard runs one fatal streaming
// decode beside them and names the offset of the first bad byte instead.
import { firstInvalidUtf8 } from "../utf8.js";

export class Utf8Guard {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** The incomplete sequence at the end of the bytes seen so far. */
  private tail: Uint8Array = new Uint8Array(0);
  private offset = 0;

  /** Checks the next chunk; returns the source offset of the first invalid byte, if any. */
  check(chunk: Uint8Array): number | undefined {
    const start = this.offset - this.tail.length;
    const joined = this.tail.length === 0 ? chunk : join(this.tail, chunk);
    this.offset += chunk.length;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return start + Math.max(0, firstInvalidUtf8(joined));
    }
    this.tail = incompleteTail(joined);
    return undefined;
  }

  /** Ends the input; returns the offset of a sequence cut short by the end, if any. */
  end(): number | undefined {
    try {
      this.decoder.decode();
    } catch {
      return this.offset - this.tail.length;
    }
    return undefined;
  }
}

function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const b = bytes[bytes.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? bytes.slice(bytes.length - k) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
