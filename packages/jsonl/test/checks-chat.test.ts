import { describe, expect, test } from "vitest";
import { check, cleanChat, findingOf, rules } from "./helpers/dataset.ts";

const clean = cleanChat();
const withMessage = (i: number, message: unknown) =>
  clean.map((ex, j) => (j === i ? { messages: [...ex.messages, message] } : ex));

describe("chat checks", () => {
  test("a clean dataset has no findings", async () => {
    const report = await check(clean);
    expect(report.format).toBe("chat");
    expect(rules(report)).toEqual([]);
    expect(report.examples).toBe(20);
    expect(report.stats.tokens?.count).toBe(20);
  });

  test("format: given wins over detection", async () => {
    const report = await check(clean, { format: "legacy" });
    expect(report.format).toBe("legacy");
    expect(report.formatSource).toBe("given");
    expect(findingOf(report, "legacy/missing-prompt")?.count).toBe(20);
  });

  test("missing messages list (absent, empty, not a list)", async () => {
    const data = [...clean, { messages: [] }, { messages: "hi" }, { message: [] }];
    const report = await check(data, { format: "chat" });
    expect(findingOf(report, "chat/missing-messages")).toMatchObject({
      lines: [21, 22, 23],
      count: 3,
      severity: "error",
    });
  });

  test("a message that is not an object is a finding, not a crash", async () => {
    expect(
      findingOf(await check(withMessage(2, "hello")), "chat/message-not-object")?.lines,
    ).toEqual([3]);
  });

  test("message missing role or content", async () => {
    const report = await check(withMessage(4, { role: "user" }));
    expect(findingOf(report, "chat/message-missing-key")?.lines).toEqual([5]);
    expect(
      findingOf(await check(withMessage(4, { content: "x" })), "chat/message-missing-key")?.lines,
    ).toEqual([5]);
  });

  test("unknown keys; name, function_call and weight are allowed", async () => {
    expect(
      findingOf(
        await check(withMessage(1, { role: "user", content: "x", mood: "happy" })),
        "chat/unknown-key",
      )?.lines,
    ).toEqual([2]);
    const allowed = withMessage(1, { role: "assistant", content: "x", name: "bot", weight: 0 });
    expect(findingOf(await check(allowed), "chat/unknown-key")).toBeUndefined();
  });

  test("unknown role", async () => {
    expect(
      findingOf(await check(withMessage(0, { role: "robot", content: "x" })), "chat/unknown-role")
        ?.lines,
    ).toEqual([1]);
    expect(
      findingOf(
        await check(withMessage(0, { role: "function", name: "f", content: "{}" })),
        "chat/unknown-role",
      ),
    ).toBeUndefined();
  });

  test("missing content; an assistant function call with content null is valid (the cookbook's bug)", async () => {
    const call = {
      role: "assistant",
      content: null,
      function_call: { name: "get_time", arguments: "{}" },
    };
    const ok = await check(withMessage(3, call));
    expect(findingOf(ok, "chat/missing-content")).toBeUndefined();
    expect(ok.summary.errors).toBe(0);
    for (const bad of [
      { role: "user", content: null },
      { role: "user", content: "" },
      { role: "user", content: 42 },
      { role: "user", content: null, function_call: { name: "f" } },
    ]) {
      expect(findingOf(await check(withMessage(3, bad)), "chat/missing-content")?.lines).toEqual([
        4,
      ]);
    }
  });

  test("no assistant message is an error; no system / no user message warn", async () => {
    const data = [
      ...clean,
      { messages: [{ role: "user", content: "hi" }] },
      { messages: [{ role: "assistant", content: "hi" }] },
    ];
    const report = await check(data);
    expect(findingOf(report, "chat/no-assistant-message")).toMatchObject({
      lines: [21],
      severity: "error",
    });
    expect(findingOf(report, "chat/no-system-message")).toMatchObject({
      lines: [21, 22],
      severity: "warning",
    });
    expect(findingOf(report, "chat/no-user-message")).toMatchObject({
      lines: [22],
      severity: "warning",
    });
  });

  test("token counts include functions and function calls; over 4,096 tokens is flagged as truncated", async () => {
    const functions = [{ name: "get_time", parameters: { type: "object", properties: {} } }];
    const call = {
      role: "assistant",
      content: null,
      function_call: { name: "get_time", arguments: "{}" },
    };
    const plain = await check([clean[0]!]);
    const withFunctions = await check([{ messages: [...clean[0]!.messages, call], functions }]);
    expect(withFunctions.stats.tokens!.max).toBeGreaterThan(plain.stats.tokens!.max + 10);
    const long = (chars: number) => ({
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "a".repeat(chars) },
      ],
    });
    // 3 + (3 + 1 + 1) + (3 + 3 + ⌈n / 4⌉) tokens: 16,328 characters make exactly 4,096
    expect(findingOf(await check([...clean, long(16_328)]), "chat/too-long")).toBeUndefined();
    expect(findingOf(await check([...clean, long(16_329)]), "chat/too-long")).toMatchObject({
      lines: [21],
      severity: "warning",
    });
  });

  test("too few examples: fewer than 10", async () => {
    expect(findingOf(await check(clean.slice(0, 9)), "chat/too-few-examples")?.severity).toBe(
      "error",
    );
    expect(findingOf(await check(clean.slice(0, 10)), "chat/too-few-examples")).toBeUndefined();
  });

  test("a counter that throws gives a finding, never a crash", async () => {
    const data = withMessage(5, { role: "user", content: "\u0000boom" });
    const report = await check(data);
    expect(findingOf(report, "dataset/token-count-failed")).toMatchObject({ lines: [6], count: 1 });
    expect(findingOf(report, "dataset/token-count-failed")?.message).toContain("boom");
    expect(report.stats.tokens?.count).toBe(19);
  });
});
