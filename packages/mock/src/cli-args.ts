import { parseArgs } from "node:util";
import { MockOptionsError } from "./errors.js";
import type { Fault } from "./faults.js";
import type { MockServerOptions } from "./options.js";

/** The usage text of `oaikit-mock --help`. */
export const USAGE = `Usage: oaikit-mock [options]

Starts a local mock of the OpenAI API (mid-2023) on http://HOST:PORT/v1.

Options:
  -p, --port <n>              Port to listen on; 0 picks a free one        (default 4010)
      --host <host>           Interface to listen on                       (default 127.0.0.1)
      --api-key <key>         Accept only this key (repeatable)            (default: any key)
      --no-auth               Accept requests without Authorization
      --rpm <n>               Requests per minute per key, then 429
      --tpm <n>               Tokens per minute per key, then 429
      --rate-window-ms <n>    Window the limits refill over                (default 60000)
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
export type CliCommand =
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
        rpm: { type: "string" },
        tpm: { type: "string" },
        "rate-window-ms": { type: "string" },
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
  const rpm = number("rpm", v.rpm, 1);
  const tpm = number("tpm", v.tpm, 1);
  const options: MockServerOptions = {
    port,
    host: v.host ?? "127.0.0.1",
    auth: !v["no-auth"],
    apiKeys: v["api-key"],
    fineTuneStepMs: number("fine-tune-step-ms", v["fine-tune-step-ms"], 0),
    faults: {
      rateLimit:
        rpm || tpm
          ? {
              requestsPerMinute: rpm,
              tokensPerMinute: tpm,
              windowMs: number("rate-window-ms", v["rate-window-ms"], 1),
            }
          : undefined,
      delayMs: number("delay-ms", v["delay-ms"], 0),
      script: v.fault?.map(fault),
      insufficientQuota: v["insufficient-quota"] ?? false,
    },
  };
  return { kind: "serve", options, quiet: v.quiet ?? false };
}
