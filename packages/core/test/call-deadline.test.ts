import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCallDeadline, isCallScoped } from "../src/call-deadline.js";
import { createDeadline } from "../src/deadline.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("createCallDeadline (a buffered call's bound)", () => {
  it("aborts and rejects a pending race when the time is up, and says it expired", async () => {
    vi.useFakeTimers();
    const deadline = createCallDeadline(1000);
    const pending = deadline.race(new Promise<never>(() => undefined));
    const settled = expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(deadline.expired).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    await expect(deadline.race(Promise.resolve(1))).rejects.toMatchObject({ name: "AbortError" });
  });

  it("follows the caller's abort with its reason, and that is not expiry", async () => {
    const caller = new AbortController();
    const deadline = createCallDeadline(60_000, caller.signal);
    const pending = deadline.race(new Promise<never>(() => undefined));
    caller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(deadline.signal.reason).toEqual(new Error("stop"));
    expect(deadline.expired).toBe(false);
    deadline.clear();
  });

  it("starts aborted for an aborted caller signal", async () => {
    const deadline = createCallDeadline(60_000, AbortSignal.abort(new Error("early")));
    expect(deadline.signal.aborted).toBe(true);
    await expect(deadline.race(Promise.resolve(1))).rejects.toThrow("early");
  });

  it("settles like the work while in time, leaving no listener on the caller's signal", async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    for (let i = 0; i < 20; i++) {
      const deadline = createCallDeadline(1000, caller.signal);
      await expect(deadline.race(Promise.resolve(i))).resolves.toBe(i);
      await expect(deadline.race(Promise.reject(new Error("no")))).rejects.toThrow("no");
      deadline.clear();
    }
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("aborts a controller it is given, so a signal built around that controller follows", async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const attempt = new AbortController();
    const composite = AbortSignal.any([caller.signal, attempt.signal]);
    const deadline = createCallDeadline(1000, caller.signal, { controller: attempt });
    expect(deadline.signal).toBe(attempt.signal);
    const pending = deadline.race(new Promise<never>(() => undefined));
    const settled = expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(composite.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    deadline.clear();
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("sets no timer for an unbounded time", () => {
    vi.useFakeTimers();
    const deadline = createCallDeadline(Infinity);
    expect(vi.getTimerCount()).toBe(0);
    deadline.clear();
  });
});

describe("isCallScoped", () => {
  it("is true only for the signal of a call deadline that made its own controller", () => {
    const caller = new AbortController();
    const own = createCallDeadline(1000, caller.signal);
    expect(isCallScoped(own.signal)).toBe(true);
    const given = new AbortController();
    const withGiven = createCallDeadline(1000, caller.signal, { controller: given });
    expect(isCallScoped(withGiven.signal)).toBe(false);
    const streamed = createDeadline(1000, caller.signal);
    expect(isCallScoped(streamed.signal)).toBe(false);
    expect(isCallScoped(caller.signal)).toBe(false);
    expect(isCallScoped(AbortSignal.any([own.signal]))).toBe(false);
    for (const deadline of [own, withGiven, streamed]) deadline.clear();
  });
});

describe("createDeadline", () => {
  it("sets no timer for an unbounded time (setTimeout would fire at once)", async () => {
    vi.useFakeTimers();
    const deadline = createDeadline(Infinity);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(deadline.signal.aborted).toBe(false);
    deadline.clear();
  });
});
