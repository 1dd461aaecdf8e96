import { describe, expect, it } from "vitest";
import { WaitQueue } from "../src/queue.js";

describe("WaitQueue", () => {
  it("keeps the queued weight through push, unshift, shift, remove and drain", () => {
    const queue = new WaitQueue<{ cost: number }>((item) => item.cost);
    const a = { cost: 5 };
    const b = { cost: 7 };
    const c = { cost: 11 };
    queue.push(a);
    queue.push(b);
    queue.unshift(c);
    expect([queue.size, queue.weight]).toEqual([3, 23]);
    expect(queue.shift()).toBe(c);
    expect([queue.size, queue.weight]).toEqual([2, 12]);
    expect(queue.remove(b)).toBe(true);
    expect(queue.remove(b)).toBe(false);
    expect([queue.size, queue.weight]).toEqual([1, 5]);
    queue.push(b);
    expect(queue.drain()).toEqual([a, b]);
    expect([queue.size, queue.weight]).toEqual([0, 0]);
  });

  it("returns the weight to exactly 0 when the line empties (no drift from fractions)", () => {
    const queue = new WaitQueue<number>((n) => n);
    for (let i = 0; i < 1000; i++) queue.push(0.1);
    for (let i = 0; i < 1000; i++) queue.shift();
    expect(queue.weight).toBe(0);
  });
});
