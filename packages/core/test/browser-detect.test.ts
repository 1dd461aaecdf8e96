// The browser check in Node, with the globals a page, a polyfill or a test DOM defines.
import { afterEach, describe, expect, it, vi } from "vitest";
import { inBrowser } from "../src/browser.js";

const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

afterEach(() => {
  vi.unstubAllGlobals();
});

function page(userAgent: string) {
  vi.stubGlobal("window", {});
  vi.stubGlobal("document", {});
  vi.stubGlobal("navigator", { userAgent });
}

describe("inBrowser", () => {
  it("is false in plain Node", () => {
    expect(inBrowser()).toBe(false);
  });

  it("is true for a page, even one whose polyfill defines process.versions.node", () => {
    page(CHROME_UA);
    expect(typeof process.versions.node).toBe("string"); // real Node here, and still:
    expect(inBrowser()).toBe(true);
  });

  it("is true in a browser worker", () => {
    vi.stubGlobal("navigator", { userAgent: CHROME_UA });
    vi.stubGlobal("importScripts", () => undefined);
    vi.stubGlobal("WorkerGlobalScope", function WorkerGlobalScope() {});
    expect(inBrowser()).toBe(true);
  });

  it.each([
    ["jsdom", "Mozilla/5.0 (linux) AppleWebKit/537.36 (KHTML, like Gecko) jsdom/24.0.0"],
    [
      "happy-dom",
      "Mozilla/5.0 (X11; Linux x64) AppleWebKit/537.36 (KHTML, like Gecko) HappyDOM/14.0.0",
    ],
  ])("is false in a Node test DOM (%s)", (_, userAgent) => {
    page(userAgent);
    expect(inBrowser()).toBe(false);
  });

  it.each([
    ["Node ≥ 21", "Node.js/22"],
    ["Deno", "Deno/1.44.0"],
    ["Bun", "Bun/1.1.0"],
    ["Cloudflare Workers", "Cloudflare-Workers"],
  ])("is false in %s (a navigator, no DOM)", (_, userAgent) => {
    vi.stubGlobal("navigator", { userAgent });
    expect(inBrowser()).toBe(false);
  });

  it("is false for server code that fakes a window without a navigator", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    vi.stubGlobal("navigator", undefined);
    expect(inBrowser()).toBe(false);
  });
});
