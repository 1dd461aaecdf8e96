import { createOpenAIClient, type FetchFn, type OpenAIClient } from "@oaikit/core";
import { CliOptionsError } from "../errors.js";

/** Where the workflow commands send their requests. */
export interface ApiSettings {
  /**
   * API key.
   * @default process.env.OPENAI_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * Base URL (the mock's `server.url`, a proxy …).
   * @default process.env.OPENAI_BASE_URL, else https://api.openai.com/v1
   */
  baseUrl?: string | undefined;
  /**
   * The `fetch` to send requests with.
   * @default globalThis.fetch
   */
  fetch?: FetchFn | undefined;
}

/**
 * The core client for the workflow commands, from the settings or `OPENAI_API_KEY` /
 * `OPENAI_BASE_URL`. A missing key is a {@link CliOptionsError} that says how to set one
 * (or how to use the mock); the key itself is never part of a message.
 * @example
 * const client = createCliClient({ baseUrl: server.url, apiKey: "sk-test" });
 */
export function createCliClient(settings: ApiSettings = {}): OpenAIClient {
  const apiKey = settings.apiKey ?? (process.env.OPENAI_API_KEY || undefined);
  const baseUrl = settings.baseUrl ?? (process.env.OPENAI_BASE_URL || undefined);
  if (apiKey === undefined) {
    throw new CliOptionsError(
      "OPENAI_API_KEY is not set. Export your key (export OPENAI_API_KEY=sk-...), or run against the local mock: oaikit mock --port 4010 & export OPENAI_BASE_URL=http://127.0.0.1:4010/v1 OPENAI_API_KEY=mock-key (the mock takes any key)",
    );
  }
  return createOpenAIClient({ apiKey, baseUrl, fetch: settings.fetch });
}
