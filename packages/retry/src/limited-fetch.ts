import type { FetchFn } from "@oaikit/core";
import { costInput, snapshotRequest } from "./body.js";
import type { RateLimiter } from "./limiter.js";

/**
 * The limiter's own `fetch`: computes the request's cost (reading the body once when there
 * is a `cost` function), waits for a slot, sends, and reports the answer.
 */
export async function limitedFetch(
  limiter: RateLimiter,
  baseFetch: FetchFn | undefined,
  hasCost: boolean,
  input: Request | string | URL,
  init?: RequestInit,
): Promise<Response> {
  const send = baseFetch ?? globalThis.fetch;
  const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
  // The inner fetch always gets a Request (the `FetchFn` contract core uses).
  let request = input instanceof Request ? input : new Request(input, init);
  let requestInit = input instanceof Request ? init : undefined;
  let cost = 0;
  if (hasCost) {
    const snapshot = await snapshotRequest(request, requestInit);
    cost = limiter.costOf(costInput(snapshot));
    request = snapshot.template;
    requestInit =
      snapshot.body === null
        ? signal && { signal }
        : signal
          ? { body: snapshot.body, signal }
          : { body: snapshot.body };
  }
  const slot = await limiter.acquire(cost, { signal });
  let response: Response | undefined;
  try {
    response = await send(request, requestInit);
    return response;
  } finally {
    slot.release(response);
  }
}
