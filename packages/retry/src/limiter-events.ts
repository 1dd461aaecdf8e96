import type { BudgetName } from "./store.js";

/**
 * What a limiter reports through `onLimiterEvent`: one event kind (a limiter event), told
 * apart by `type`.
 */
export type LimiterEvent =
  /** A request had to wait: it joined the queue. */
  | { readonly type: "queued"; readonly cost: number; readonly queued: number }
  /** A request left the queue (or went at once) and is being sent. */
  | { readonly type: "sent"; readonly cost: number; readonly queuedMs: number }
  /** A 429 (or a server hint) holds the whole queue. */
  | {
      readonly type: "paused";
      readonly pauseMs: number;
      readonly reason: "429" | "server-hint";
      readonly budget?: BudgetName | undefined;
    }
  /** A budget was learned from the `x-ratelimit-limit-*` headers of two answers in a row. */
  | {
      readonly type: "learned";
      readonly budget: BudgetName;
      readonly perMinute: number;
      readonly chargeRatio?: undefined;
    }
  /**
   * The charge ratio moved (by 1 % or more since the last such event): the server charges
   * `chargeRatio` × `cost`, learned from the token headers (`calibrateCost`).
   */
  | {
      readonly type: "learned";
      readonly budget: "tokens";
      readonly chargeRatio: number;
      readonly perMinute?: undefined;
    }
  /** An answer's `usage` said it used fewer tokens than estimated; the difference went back. */
  | {
      readonly type: "refunded";
      readonly tokens: number;
      readonly estimated: number;
      readonly actual: number;
    }
  /** An answer's `usage` said it used more tokens than estimated; the difference was charged. */
  | {
      readonly type: "charged";
      readonly tokens: number;
      readonly estimated: number;
      readonly actual: number;
    }
  /** A rate-limit header was not used (debug): its figure is implausible for a per-minute budget. */
  | {
      readonly type: "ignored-header";
      readonly header: string;
      readonly value: string;
      readonly reason: string;
    }
  /** A queued request was failed without being sent. */
  | {
      readonly type: "rejected";
      readonly reason: "deadline" | "quota" | "too-large";
      readonly queuedMs: number;
    }
  /** The store failed (e.g. Redis unreachable); the limiter runs on its local fallback. */
  | { readonly type: "store-fallback"; readonly error: Error }
  /** The store answers again after a fallback. */
  | { readonly type: "store-recovered" };
