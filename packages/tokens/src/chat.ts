import type { RequestBody } from "@oaikit/core";
import { ContextWindowExceededError, InvalidTokensInputError } from "./errors.js";
import { renderFunctionDefinitions } from "./function-definitions.js";
import { chatOverheads, contextWindow, encodingForModel } from "./models.js";
import type { Encoding } from "./types.js";

/** The body of a chat completion request, as the spec defines it. */
export type ChatCompletionRequest = RequestBody<"createChatCompletion">;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Tokens every reply is primed with (`<|im_start|>assistant<|im_sep|>`). */
const REPLY_PRIMING = 3;
/** Rendered function definitions come with this many tokens of framing. */
const FUNCTIONS_FRAMING = 9;
/** With functions present, an existing system message is reused for them (saves 4). */
const SYSTEM_WITH_FUNCTIONS = -4;
/** A message carrying `function_call` costs this much on top of its name and arguments. */
const FUNCTION_CALL_MESSAGE = 3;
/** A `role: "function"` message costs this much less than the per-message overhead. */
const FUNCTION_ROLE_MESSAGE = -2;

function text(value: unknown, where: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  throw new InvalidTokensInputError(`${where} must be a string, got ${typeof value}.`);
}

function checkEncoding(model: string, encoding: Encoding): void {
  const expected = encodingForModel(model);
  if (
    encoding === null ||
    typeof encoding !== "object" ||
    typeof encoding.countTokens !== "function"
  ) {
    throw new InvalidTokensInputError(
      `Pass the model's encoding as the second argument: await getEncoding("${expected}").`,
    );
  }
  if (encoding.name !== expected) {
    throw new InvalidTokensInputError(
      `${model} uses ${expected}, but the ${encoding.name} encoding was passed. ` +
        `Pass await getEncoding("${expected}"), or ${expected} from the @oaikit/tokens/${expected} subpath.`,
    );
  }
}

/**
 * Prompt tokens of a chat completion request, as the API reports them in
 * `usage.prompt_tokens`. Messages follow OpenAI's cookbook formula (exact for plain messages);
 * `functions`, `function_call` and function messages follow the community's reverse-engineered
 * rules (matching the API on every case they were checked on, but not published by OpenAI).
 * @example
 * import { cl100k_base } from "@oaikit/tokens/cl100k_base";
 * countChatTokens({ model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hello" }] }, cl100k_base); // 8
 */
export function countChatTokens(request: ChatCompletionRequest, encoding: Encoding): number {
  const body: unknown = request;
  if (!isObject(body)) {
    throw new InvalidTokensInputError(
      `countChatTokens() takes a chat completion request body, got ${body === null ? "null" : typeof body}.`,
    );
  }
  const model = body["model"] as string;
  const { perMessage, perName } = chatOverheads(model);
  checkEncoding(model, encoding);
  const messages = body["messages"];
  if (!Array.isArray(messages)) {
    throw new InvalidTokensInputError("countChatTokens(): request.messages must be an array.");
  }
  const functions: unknown = body["functions"];
  if (functions !== undefined && !Array.isArray(functions)) {
    throw new InvalidTokensInputError("countChatTokens(): request.functions must be an array.");
  }
  const hasFunctions = functions !== undefined && functions.length > 0;
  const count = (value: string): number =>
    value === "" ? 0 : encoding.countTokens(value, { disallowedSpecial: [] });

  let total = REPLY_PRIMING;
  let paddedSystem = false;
  messages.forEach((message: unknown, i: number) => {
    if (!isObject(message)) {
      throw new InvalidTokensInputError(`countChatTokens(): messages[${i}] must be an object.`);
    }
    const role = text(message["role"], `messages[${i}].role`);
    let content = text(message["content"], `messages[${i}].content`);
    // With functions present, the first system message gets a trailing newline.
    if (role === "system" && hasFunctions && !paddedSystem) {
      content += "\n";
      paddedSystem = true;
    }
    total += perMessage + count(role) + count(content);
    if (message["name"] !== undefined && message["name"] !== null) {
      total += count(text(message["name"], `messages[${i}].name`)) + perName;
    }
    const call = message["function_call"];
    if (call !== undefined && call !== null) {
      if (!isObject(call)) {
        throw new InvalidTokensInputError(
          `countChatTokens(): messages[${i}].function_call must be { name, arguments }.`,
        );
      }
      total += count(text(call["name"], `messages[${i}].function_call.name`));
      total += count(text(call["arguments"], `messages[${i}].function_call.arguments`));
      total += FUNCTION_CALL_MESSAGE;
    }
    if (role === "function") total += FUNCTION_ROLE_MESSAGE;
  });

  if (hasFunctions) {
    const definitions = (functions as unknown[]).map((fn: unknown, i: number) => {
      if (!isObject(fn) || typeof fn["name"] !== "string") {
        throw new InvalidTokensInputError(
          `countChatTokens(): functions[${i}] must be an object with a string name.`,
        );
      }
      return fn;
    });
    total += count(renderFunctionDefinitions(definitions)) + FUNCTIONS_FRAMING;
    if (paddedSystem) total += SYSTEM_WITH_FUNCTIONS;
  }

  const functionCall = body["function_call"];
  if (functionCall === "none") {
    total += 1;
  } else if (isObject(functionCall)) {
    total += count(text(functionCall["name"], "function_call.name")) + 4;
  }
  return total;
}

/** The outcome of {@link checkContextWindow}. */
export interface ContextWindowCheck {
  /** The model the request names. */
  readonly model: string;
  /** Prompt tokens, as {@link countChatTokens} counts them. */
  readonly promptTokens: number;
  /** Tokens reserved for the answer: the request's `max_tokens`, 0 when unset. */
  readonly maxTokens: number;
  /** The model's context window. */
  readonly contextWindow: number;
  /** `contextWindow - promptTokens - maxTokens`; negative when the request does not fit. */
  readonly remaining: number;
  /** Whether `promptTokens + maxTokens <= contextWindow`. */
  readonly fits: boolean;
}

/**
 * Checks whether a chat request's prompt plus `max_tokens` fits the model's context window.
 * @example
 * const check = checkContextWindow(request, cl100k_base);
 * if (!check.fits) console.log(`over by ${-check.remaining} tokens`);
 */
export function checkContextWindow(
  request: ChatCompletionRequest,
  encoding: Encoding,
): ContextWindowCheck {
  const promptTokens = countChatTokens(request, encoding);
  const model = (request as unknown as Json)["model"] as string;
  const window = contextWindow(model);
  const raw = (request as unknown as Json)["max_tokens"];
  if (raw !== undefined && raw !== null && (!Number.isInteger(raw) || (raw as number) < 0)) {
    throw new InvalidTokensInputError(
      `max_tokens must be a non-negative integer, got ${JSON.stringify(raw)}.`,
    );
  }
  const maxTokens = (raw as number | null | undefined) ?? 0;
  const remaining = window - promptTokens - maxTokens;
  return { model, promptTokens, maxTokens, contextWindow: window, remaining, fits: remaining >= 0 };
}

/**
 * Like {@link checkContextWindow}, but throws `ContextWindowExceededError` when the request
 * does not fit — call it before sending.
 * @example
 * assertFitsContextWindow(request, cl100k_base); // throws before the API would answer 400
 */
export function assertFitsContextWindow(
  request: ChatCompletionRequest,
  encoding: Encoding,
): ContextWindowCheck {
  const check = checkContextWindow(request, encoding);
  if (!check.fits) {
    throw new ContextWindowExceededError(
      check.model,
      check.promptTokens,
      check.maxTokens,
      check.contextWindow,
    );
  }
  return check;
}
