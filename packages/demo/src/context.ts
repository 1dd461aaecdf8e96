import { createOpenAIClient, type OpenAIClient } from "@oaikit/core";
import { createMockServer, type MockServer } from "@oaikit/mock";

/** What every step of the tour gets. */
export interface DemoContext {
  /** The typed client, pointed at the mock or at OPENAI_BASE_URL. */
  client: OpenAIClient;
  /** Base URL in use (never the key). */
  baseUrl: string;
  /** API key in use; only ever passed to clients, never printed. */
  apiKey: string;
  /** The in-process mock, or null when talking to a real server. */
  mock: MockServer | null;
}

/**
 * Starts the in-process mock, unless OPENAI_BASE_URL is set, in which case the tour talks
 * to that server with OPENAI_API_KEY.
 */
export async function createContext(): Promise<DemoContext> {
  const remote = process.env.OPENAI_BASE_URL;
  if (remote) {
    const apiKey = process.env.OPENAI_API_KEY;
    if (!apiKey) {
      throw new Error(
        "OPENAI_BASE_URL is set but OPENAI_API_KEY is not: set both, or neither to use the mock.",
      );
    }
    return {
      client: createOpenAIClient({ apiKey, baseUrl: remote }),
      baseUrl: remote,
      apiKey,
      mock: null,
    };
  }
  const mock = await createMockServer({ port: 0, fineTuneStepMs: 40 });
  const apiKey = "sk-demo-local-mock";
  return {
    client: createOpenAIClient({ apiKey, baseUrl: mock.url }),
    baseUrl: mock.url,
    apiKey,
    mock,
  };
}
