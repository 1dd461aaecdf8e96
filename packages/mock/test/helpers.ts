import { request as httpRequest } from "node:http";

/** A raw HTTP answer: status, headers, body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends one request with node:http (no fetch niceties), optionally streaming the body in chunks. */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? "GET", headers: init.headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(parts).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end();
  });
}

/** A parsed answer body (or its text when not JSON): tests walk it freely and assert on it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape is what the test asserts
type ParsedAnswer = any;

/** JSON POST with a bearer key through fetch; returns status, headers and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: ParsedAnswer }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, json };
}

/** GET with a bearer key through fetch. */
export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { authorization: "Bearer sk-test", ...headers } });
  const text = await res.text();
  let json: ParsedAnswer = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, json };
}

/** Splits an SSE body into its `data:` payloads (JSON-parsed, except `[DONE]`). */
export function parseSse(body: string): unknown[] {
  return body
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      if (!block.startsWith("data: "))
        throw new Error(`Not an SSE data block: ${JSON.stringify(block)}`);
      const data = block.slice("data: ".length);
      return data === "[DONE]" ? data : (JSON.parse(data) as unknown);
    });
}
