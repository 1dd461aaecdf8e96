// Where a secret key would be exposed to anyone who loads the page. Every global can be
// defined by page code (bundlers polyfill `process`, some set `process.versions.node`), so
// Node-shaped globals never switch the guard off. What decides is a DOM (window + document)
// with a browser's navigator, or a browser worker scope; jsdom and happy-dom (Node test
// environments) name themselves in their user agent, and Deno, Bun, Node ≥ 21 and edge
// workers have no DOM.

const NOT_A_BROWSER = /\b(jsdom|HappyDOM|Node\.js|Deno|Bun|Cloudflare-Workers)\b/;

/** True in a browser page or a browser's web worker. */
export function inBrowser(): boolean {
  const g = globalThis as {
    window?: unknown;
    document?: unknown;
    navigator?: { userAgent?: unknown };
    importScripts?: unknown;
    WorkerGlobalScope?: unknown;
  };
  const agent = g.navigator?.userAgent;
  if (typeof agent !== "string" || NOT_A_BROWSER.test(agent)) return false;
  const page = typeof g.window === "object" && g.window !== null && typeof g.document === "object";
  const worker = typeof g.importScripts === "function" && typeof g.WorkerGlobalScope === "function";
  return page || worker;
}

// Request headers that carry a secret: OpenAI's bearer token, Azure's `api-key`, and the
// `x-api-key` many proxies use.
const SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "proxy-authorization"];

/** The first header among `names` that carries a secret, if any. */
export function secretHeaderIn(names: Iterable<string>): string | undefined {
  for (const name of names) if (SECRET_HEADERS.includes(name.toLowerCase())) return name;
  return undefined;
}

/** The message for a secret about to leave a browser page. */
export function browserSecretMessage(how: string): string {
  return `Refusing to send a secret (${how}) from a browser: anyone who loads the page can read it. Call the API from your server, or pass \`dangerouslyAllowBrowser: true\` if the key is the user's own (or a short-lived token for your proxy).`;
}
