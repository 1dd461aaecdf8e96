/** Where a server-requested delay came from. */
export type DelaySource = "retry-after-ms" | "retry-after";

/** A delay the server asked for, in milliseconds. */
interface ServerDelay {
  readonly ms: number;
  readonly source: DelaySource;
}

/**
 * Reads the delay a server asks for. `retry-after-ms` (OpenAI's and Azure's millisecond
 * header) wins over `Retry-After` (RFC 9110 §10.2.3: whole seconds, or an HTTP date).
 * Returns `undefined` when neither header is present or parseable, or the value is negative
 * (a date in the past, for instance) or zero: openai-node treats `retry-after: 0` as absent
 * and backs off, since retrying at once only repeats the failure.
 */
export function serverDelay(headers: Headers, now: number): ServerDelay | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value > 0) return { ms: value, source: "retry-after-ms" };
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const text = after.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Number(text) * 1000;
    return ms > 0 ? { ms, source: "retry-after" } : undefined;
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  const delta = date - now;
  // An HTTP date has one-second precision; a date up to a second in the past means "now".
  if (delta <= 0) return undefined;
  return { ms: delta, source: "retry-after" };
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Parses the durations of OpenAI's `x-ratelimit-reset-*` headers ("6m0s", "1s", "20ms",
 * "1h2m3.5s", also a bare number of seconds) into milliseconds; `undefined` if malformed.
 */
export function parseDuration(text: string | null): number | undefined {
  if (text === null) return undefined;
  const value = text.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let match = re.exec(value); match !== null; match = re.exec(value)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    end = re.lastIndex;
  }
  return end === value.length && end > 0 ? total : undefined;
}

/** Parses a non-negative number header (`x-ratelimit-limit-*`, `x-ratelimit-remaining-*`). */
export function parseCount(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
