import { parseArgs } from "node:util";
import { MockOptionsError } from "../errors.js";
import type { Fault } from "../faults/faults.js";
import type { MockServerOptions } from "../options.js";

/** The usage text of `oaikit-mock --help`. */
export const USAGE = `Usage: oaikit-mock [options]

Starts a local mock of the OpenAI API (mid-2023) on http://HOST:PORT/v1.

Options:
  -p, --port <n>              Port to listen on; 0 picks a free one        (default 4010)
      --host <host>           Interface to listen on                       (default 127.0.0.1)
      --api-key <key>         Accept only this key (repeatable)            (default: any key)
      --no-auth               Accept requests without Authorization
      --cors-origin <origin>  Let this browser origin read answers; repeatable, * for any
                              (default: no CORS headers)
      --requests-per-minute <n>  Requests per minute per key, then 429
      --tokens-per-minute <n>    Tokens per minute per key, then 429
      --rate-interval-ms <n>     Enforcement interval of those limits      (default 1000)
      --delay-ms <n>          Wait this long before every answer           (default 0)
      --fault <fault>         Next request's fault, in order (repeatable):
                              a status (503), drop, drop-mid-body, insufficient_quota, ok
      --insufficient-quota    Answer every request with 429 insufficient_quota
      --fine-tune-step-ms <n> Time between fine-tune job steps             (default 100)
      --quiet                 Do not print a line per request
  -h, --help                  Show this help
  -v, --version               Show the version

Per-request headers: x-mock-fault, x-mock-delay-ms, x-mock-fine-tune-step-ms.`;

/** What the command line asked for. */
type CliCommand =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "serve"; readonly options: MockServerOptions; readonly quiet: boolean };

function number(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new MockOptionsError(
      `--${flag} must be a number ≥ ${min}, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

function integer(flag: string, value: string | undefined, min: number, max: number) {
  const n = number(flag, value, min);
  if (n !== undefined && (!Number.isInteger(n) || n > max)) {
    throw new MockOptionsError(
      `--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

// Flags renamed to the kit's per-minute vocabulary; say so instead of "unknown option".
const RENAMED: Readonly<Record<string, string>> = {
  "--rpm": "--requests-per-minute",
  "--tpm": "--tokens-per-minute",
  "--rate-window-ms": "--rate-interval-ms",
};

function fault(value: string): Fault {
  if (/^\d{3}$/.test(value)) return Number(value);
  if (["ok", "drop", "drop-mid-body", "insufficient_quota"].includes(value)) return value as Fault;
  throw new MockOptionsError(
    `--fault must be a status such as 503, or drop, drop-mid-body, insufficient_quota or ok; got ${JSON.stringify(value)}.`,
  );
}

/** Parses `oaikit-mock` arguments; throws {@link MockOptionsError} naming the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        "api-key": { type: "string", multiple: true },
        "no-auth": { type: "boolean" },
        "cors-origin": { type: "string", multiple: true },
        "requests-per-minute": { type: "string" },
        "tokens-per-minute": { type: "string" },
        "rate-interval-ms": { type: "string" },
        "delay-ms": { type: "string" },
        fault: { type: "string", multiple: true },
        "insufficient-quota": { type: "boolean" },
        "fine-tune-step-ms": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const [old, now] of Object.entries(RENAMED)) {
      if (argv.some((arg) => arg === old || arg.startsWith(`${old}=`))) {
        throw new MockOptionsError(
          `${old} is now ${now}${old === "--rate-window-ms" ? " (the limits are per minute, enforced per interval)" : ""}.`,
        );
      }
    }
    throw new MockOptionsError(
      `${message.replace(/\.?$/, ".")} Run oaikit-mock --help for the list of options.`,
    );
  }
  const v = parsed.values;
  if (v.help) return { kind: "help" };
  if (v.version) return { kind: "version" };
  const port = number("port", v.port, 0) ?? 4010;
  if (!Number.isInteger(port) || port > 65535) {
    throw new MockOptionsError(
      `--port must be an integer from 0 to 65535, got ${JSON.stringify(v.port)}.`,
    );
  }
  const rpm = integer("requests-per-minute", v["requests-per-minute"], 1, 1e12);
  const tpm = integer("tokens-per-minute", v["tokens-per-minute"], 1, 1e12);
  const options: MockServerOptions = {
    port,
    host: v.host ?? "127.0.0.1",
    auth: !v["no-auth"],
    apiKeys: v["api-key"],
    corsOrigins: v["cors-origin"],
    fineTuneStepMs: number("fine-tune-step-ms", v["fine-tune-step-ms"], 0),
    faults: {
      rateLimit:
        rpm || tpm
          ? {
              requestsPerMinute: rpm,
              tokensPerMinute: tpm,
              intervalMs: integer("rate-interval-ms", v["rate-interval-ms"], 1, 60_000),
            }
          : undefined,
      delayMs: number("delay-ms", v["delay-ms"], 0),
      script: v.fault?.map(fault),
      insufficientQuota: v["insufficient-quota"] ?? false,
    },
  };
  return { kind: "serve", options, quiet: v.quiet ?? false };
}

/** Whether `host` is a loopback interface (only this machine can connect). */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\./.test(h) || h === "::ffff:127.0.0.1";
}

/**
 * The warning the CLI prints when the server is reachable from other machines and accepts any
 * key (or none), or null. The library never prints; the CLI checks this before starting.
 */
export function exposureWarning(options: MockServerOptions): string | null {
  const host = options.host ?? "127.0.0.1";
  if (isLoopback(host)) return null;
  if (options.auth !== false && options.apiKeys && options.apiKeys.length > 0) return null;
  const why = options.auth === false ? "with --no-auth" : "accepting any API key";
  return (
    `warning: listening on ${host}, beyond loopback, ${why}: anyone who can reach this port can ` +
    "use the mock and read every uploaded file. Pass --api-key <key> (or --host 127.0.0.1)."
  );
}

/** A request line for the log: method, path without its query string (it may hold a key), status. */
export function logLine(e: {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly operationId: string | null;
}): string {
  const path = e.url.split("?")[0] ?? "";
  return `${e.method} ${path} → ${e.status || "dropped"}${e.operationId ? ` (${e.operationId})` : ""}\n`;
}
