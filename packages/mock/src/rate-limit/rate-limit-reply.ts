import type { Admission, LimitHeaders } from "./rate-limiter.js";
import { formatDuration } from "./rate-limiter.js";
import { errorReply, type Reply } from "../http/reply.js";

// The wording of OpenAI's 429s (mid-2023), e.g. "Rate limit reached for default-gpt-3.5-turbo in
// organization org-… on requests per min. Limit: 3 / min. Please try again in 20s. …" and
// "Request too large for gpt-4 in organization org-… on tokens per min. Limit: 10000 / min. …".
const ORGANIZATION = "org-mock";
const HELP =
  "Contact us through our help center at help.openai.com if you continue to have issues.";

/** The `x-ratelimit-{limit,remaining,reset}-{kind}` headers of one limit. */
export function limitHeaders(
  kind: "requests" | "tokens",
  state: LimitHeaders,
): Record<string, string> {
  return {
    [`x-ratelimit-limit-${kind}`]: String(state.limit),
    [`x-ratelimit-remaining-${kind}`]: String(state.remaining),
    [`x-ratelimit-reset-${kind}`]: formatDuration(state.resetMs),
  };
}

/** OpenAI's 429 for a refused request, with `retry-after` (seconds) and `retry-after-ms`. */
export function rateLimitReply(
  admission: Extract<Admission, { ok: false }>,
  headers: Record<string, string>,
  body: Readonly<Record<string, unknown>>,
  cost: number,
): Reply {
  const model = typeof body.model === "string" ? body.model.slice(0, 100) : "model";
  const state = (admission.over === "requests" ? admission.requests : admission.tokens)!;
  const unit = `${admission.over} per min`;
  if (admission.tooLarge) {
    return errorReply(
      429,
      {
        message:
          `Request too large for ${model} in organization ${ORGANIZATION} on ${unit}. ` +
          `Limit: ${state.limit} / min. Requested: ${cost}. ` +
          "The input or output tokens must be reduced in order to run successfully.",
        type: admission.over,
        param: null,
        code: "rate_limit_exceeded",
      },
      headers,
    );
  }
  const current =
    admission.over === "tokens" ? ` Current: ${state.limit - state.remaining} / min.` : "";
  return errorReply(
    429,
    {
      message:
        `Rate limit reached for default-${model} in organization ${ORGANIZATION} on ${unit}. ` +
        `Limit: ${state.limit} / min.${current} Please try again in ${formatDuration(admission.retryAfterMs)}. ${HELP}`,
      type: admission.over,
      param: null,
      code: "rate_limit_exceeded",
    },
    {
      ...headers,
      "retry-after": String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))),
      "retry-after-ms": String(admission.retryAfterMs),
    },
  );
}
