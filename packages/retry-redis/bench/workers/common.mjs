// Shared by the bench workers: the workload, the start signal, the report.
export const env = process.env;
export const N = Number(env.N);
export const RPM = Number(env.RPM);
export const TPM = Number(env.TPM);
export const PROCS = Number(env.PROCS ?? 1);

/** The i-th request of the workload: a chat completion with max_tokens 10–50. */
export function body(i) {
  return {
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 10 + ((i * 7) % 5) * 10,
  };
}
/** The mock's pre-flight estimate of `body(i)`: "user" + "hi" = 2 tokens, plus max_tokens. */
export const costOf = (b) => 2 + b.max_tokens;

export function send(b, init = {}) {
  return fetch(`${env.MOCK_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.API_KEY}` },
    body: JSON.stringify(b),
    ...init,
  });
}

/** Says ready, waits for "go" on stdin. */
export async function ready() {
  console.log("ready");
  await new Promise((resolve) => process.stdin.once("data", resolve));
}

export function report(result) {
  console.log(JSON.stringify(result));
}
