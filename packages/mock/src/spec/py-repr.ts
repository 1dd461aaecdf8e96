// OpenAI's validation messages are Python `jsonschema` messages, which print values with
// Python's repr(): 'text', True, None, [1, 2], {'k': 'v'}. Long values are elided so an
// error never echoes a whole prompt back.

const MAX_STRING = 80;
const MAX_ITEMS = 8;

function reprString(value: string): string {
  const text = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...` : value;
  const escaped = text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\r", "\\r");
  if (escaped.includes("'") && !escaped.includes('"')) return `"${escaped}"`;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}

/** Formats a JSON value the way Python's `repr()` prints the parsed equivalent. */
export function pyRepr(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "nan";
  if (typeof value === "string") return reprString(value);
  if (depth > 2) return Array.isArray(value) ? "[...]" : "{...}";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => pyRepr(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push("...");
    return `[${items.join(", ")}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const items = entries
      .slice(0, MAX_ITEMS)
      .map(([k, v]) => `${reprString(k)}: ${pyRepr(v, depth + 1)}`);
    if (entries.length > MAX_ITEMS) items.push("...");
    return `{${items.join(", ")}}`;
  }
  // Not a JSON value (bigint, symbol, function): name what it is.
  return reprString(typeof value === "bigint" ? value.toString() : typeof value);
}
