// `oaikit mock` runs @oaikit/mock's own executable with the same flags.
import { describe, expect, it } from "vitest";
import { run } from "./run.js";

describe("oaikit mock", () => {
  it("serves with oaikit-mock's flags and stops on Ctrl-C", async () => {
    let url = "";
    let answered: unknown;
    const result = await run(["mock", "--port", "0", "--quiet", "--fine-tune-step-ms", "5"], {
      onSpawn: (child) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          const match = /listening on (\S+)/.exec(chunk.toString());
          if (!match || url) return;
          url = match[1]!;
          void fetch(`${url}/models`, { headers: { authorization: "Bearer sk-anything" } })
            .then((res) => res.json())
            .then((body) => (answered = body))
            .finally(() => child.kill("SIGINT"));
        });
      },
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(answered).toMatchObject({ object: "list" });
    expect(result.status).toBe(0);
  });

  it("exits 2 naming a bad flag, as oaikit-mock does", async () => {
    const result = await run(["mock", "--port", "seventy"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--port must be");
  });
});
