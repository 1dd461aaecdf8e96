import { unwrap } from "@oaikit/core";
import type { DemoContext } from "../context.js";
import { heading, say } from "../print.js";

/** Lists models with the typed client. */
export async function listModels({ client }: DemoContext, step: number): Promise<void> {
  heading(step, "List models", ["packages/core/src/client.ts", "spec/openapi.yaml (listModels)"]);
  const models = unwrap(await client.GET("/models"));
  const ids = models.data.map((m) => m.id);
  say(`${ids.length} models: ${ids.slice(0, 6).join(", ")}${ids.length > 6 ? ", …" : ""}`);
}
