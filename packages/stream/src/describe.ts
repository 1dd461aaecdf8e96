/** A short description of a value for error messages (its kind, never its full content). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return `a string of length ${value.length}`;
  // What is left is a number, boolean, bigint or symbol: each has its own toString().
  return `${typeof value} ${(value as number).toString().slice(0, 40)}`;
}

/** True for anything `for await` can read: an async iterable or a sync iterable. */
export function isIterable(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" ||
      typeof (value as Iterable<unknown>)[Symbol.iterator] === "function")
  );
}
