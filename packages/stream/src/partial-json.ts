// A view of JSON that is still arriving (a function call's `arguments` while they stream):
// one left-to-right pass that stops at the end of the text and closes whatever is open.
// Linear in the text; depth-bounded, so hostile nesting cannot overflow the stack.

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// What a number cut at the end of the text may look like.
const NUMBER_PREFIX = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*|\.[0-9]+[eE][+-]?[0-9]*|[eE][+-]?[0-9]*)?$/;
const LITERALS: readonly [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];

class Invalid extends Error {}
const MISSING = Symbol("missing");

/**
 * Parses the beginning of a JSON text, as far as it goes: an open string is cut where the
 * text ends, open arrays and objects are closed, a key without its value yet is left out, a
 * number or literal cut short (`12`, `tr`) becomes the value it starts. Returns `undefined`
 * for empty text and for text that cannot begin any JSON value (the model does not always
 * write valid JSON: validate the final arguments before calling a function). A complete JSON
 * text gives what `JSON.parse` gives.
 *
 * @example
 * ```ts
 * parsePartialJSON('{"location": "São Pa'); // → { location: "São Pa" }
 * parsePartialJSON('{"unit": "celsius", "days": [1, 2'); // → { unit: "celsius", days: [1, 2] }
 * ```
 */
export function parsePartialJSON(text: string): unknown {
  if (typeof text !== "string") return undefined;
  const parser = new PartialParser(text);
  try {
    const value = parser.value(0);
    if (value === MISSING) return undefined;
    if (!parser.ended()) parser.rest();
    return value;
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}

class PartialParser {
  private pos = 0;
  /** Set once the text ran out inside a value: every caller then returns what it has. */
  private eof = false;

  constructor(private readonly text: string) {}

  ended(): boolean {
    return this.eof;
  }

  /** After a complete top-level value, only whitespace may follow. */
  rest(): void {
    this.space();
    if (this.pos < this.text.length) throw new Invalid();
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Invalid();
    this.space();
    if (this.pos >= this.text.length) {
      this.eof = true;
      return MISSING;
    }
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c! >= "0" && c! <= "9")) return this.number();
    return this.literal();
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    for (let first = true; ; first = false) {
      if (this.end()) return out;
      if (this.text[this.pos] === "}") {
        this.pos++;
        return out;
      }
      if (!first) {
        if (this.text[this.pos] !== ",") throw new Invalid();
        this.pos++;
        if (this.end()) return out;
      }
      if (this.text[this.pos] !== '"') throw new Invalid();
      const key = this.string();
      if (this.eof || this.end()) return out;
      if (this.text[this.pos] !== ":") throw new Invalid();
      this.pos++;
      const value = this.value(depth + 1);
      if (value === MISSING) return out;
      // As JSON.parse does: an own property even for "__proto__".
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (this.eof) return out;
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    for (let first = true; ; first = false) {
      if (this.end()) return out;
      if (this.text[this.pos] === "]") {
        this.pos++;
        return out;
      }
      if (!first) {
        if (this.text[this.pos] !== ",") throw new Invalid();
        this.pos++;
      }
      const value = this.value(depth + 1);
      if (value === MISSING) return out;
      out.push(value);
      if (this.eof) return out;
    }
  }

  private string(): string {
    const { text } = this;
    let out = "";
    let pos = this.pos + 1;
    for (;;) {
      const quote = text.indexOf('"', pos);
      const slash = text.indexOf("\\", pos);
      const stop = slash !== -1 && (quote === -1 || slash < quote) ? slash : quote;
      if (stop === -1) {
        // Cut short: the string so far.
        out += raw(text.slice(pos));
        this.pos = text.length;
        this.eof = true;
        return out;
      }
      out += raw(text.slice(pos, stop));
      if (stop === quote) {
        this.pos = quote + 1;
        return out;
      }
      const escaped = unescape(text, stop);
      if (escaped === undefined) {
        // An escape cut short is left out.
        this.pos = text.length;
        this.eof = true;
        return out;
      }
      out += escaped[0];
      pos = escaped[1];
    }
  }

  private number(): number | typeof MISSING {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) {
      // A lone "-" at the end: no value yet.
      if (this.pos === this.text.length - 1) {
        this.pos = this.text.length;
        this.eof = true;
        return MISSING;
      }
      throw new Invalid();
    }
    const end = this.pos + match[0].length;
    if (end === this.text.length) this.eof = true;
    else if (/[.eE+\-0-9]/.test(this.text[end]!)) {
      // "1." or "1e" or "1e+" cut short: the number so far; anything else ("01", "1-") is invalid.
      if (!NUMBER_PREFIX.test(this.text.slice(this.pos))) throw new Invalid();
      this.eof = true;
    }
    this.pos = this.eof ? this.text.length : end;
    return Number(match[0]);
  }

  private literal(): unknown {
    const rest = this.text.slice(this.pos, this.pos + 5);
    for (const [word, value] of LITERALS) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return value;
      }
      if (this.pos + rest.length === this.text.length && word.startsWith(rest)) {
        this.pos = this.text.length;
        this.eof = true;
        return value;
      }
    }
    throw new Invalid();
  }

  private space(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.pos++;
    }
  }

  // Skips whitespace; true (and eof) when the text ends there.
  private end(): boolean {
    this.space();
    if (this.pos < this.text.length) return false;
    this.eof = true;
    return true;
  }
}

// Control characters are not allowed raw inside a JSON string.
function raw(piece: string): string {
  if (/[\u0000-\u001f]/.test(piece)) throw new Invalid();
  return piece;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** The escape at `at` (a backslash) and the position after it; undefined when cut short. */
function unescape(text: string, at: number): [string, number] | undefined {
  const c = text[at + 1];
  if (c === undefined) return undefined;
  if (c === "u") {
    const hex = text.slice(at + 2, at + 6);
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Invalid();
    if (hex.length < 4) return undefined;
    return [String.fromCharCode(parseInt(hex, 16)), at + 6];
  }
  const value = ESCAPES[c];
  if (value === undefined) throw new Invalid();
  return [value, at + 2];
}
