import type { RequestBody } from "@oaikit/core";
import { checkOptions } from "@oaikit/core/errors";
import {
  ContextWindowExceededError,
  InvalidTokensInputError,
  TokensOptionsError,
  UnknownModelError,
} from "./errors.js";
import { renderFunctionDefinitions } from "./function-definitions.js";
import { getEncoding } from "./load.js";
import {
  DEFAULT_CHAT_FRAMING,
  chatFraming,
  contextWindow,
  modelInfo,
  type ChatFraming,
} from "./models.js";
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

/** Options of {@link countChatTokens} and {@link countChatTokensFor}. */
export interface CountChatTokensOptions {
  /**
   * Tokens the chat format adds to every message. Needed only for a model the package does not
   * know that frames messages differently from gpt-3.5-turbo-0613 and gpt-4.
   * @default the model's (4 for gpt-3.5-turbo-0301), 3 for a model outside the table
   */
  readonly tokensPerMessage?: number;
  /**
   * Tokens a message's `name` adds on top of the name's own tokens.
   * @default the model's (-1 for gpt-3.5-turbo-0301), 1 for a model outside the table
   */
  readonly tokensPerName?: number;
}

/** Options of {@link checkContextWindow} and {@link assertFitsContextWindow}. */
export interface ContextWindowOptions extends CountChatTokensOptions {
  /**
   * The model's context window in tokens; required for a model outside the table (a new
   * snapshot, an Azure deployment name).
   * @default the window OpenAI documents for the model
   */
  readonly contextWindow?: number;
}

const COUNT_OPTIONS = ["tokensPerMessage", "tokensPerName"] as const;
const WINDOW_OPTIONS = [...COUNT_OPTIONS, "contextWindow"] as const;

function checkInteger(fn: string, name: string, value: unknown, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < min)) {
    throw new TokensOptionsError(
      `${fn}: ${name} must be an integer of at least ${min}, got ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
}

function checkCountOptions(fn: string, options: CountChatTokensOptions | undefined): void {
  checkInteger(fn, "tokensPerMessage", options?.tokensPerMessage, 0);
  checkInteger(fn, "tokensPerName", options?.tokensPerName, -1);
}

function modelOf(body: Json, fn: string): string {
  const model = body["model"];
  if (typeof model !== "string" || model === "") {
    throw new InvalidTokensInputError(
      `${fn}(): request.model must be a model name such as "gpt-3.5-turbo", got ${model === "" ? "an empty string" : typeof model}.`,
    );
  }
  return model;
}

function isEncoding(value: unknown): value is Encoding {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Encoding).countTokens === "function" &&
    typeof (value as Encoding).name === "string"
  );
}

/** The framing to count with; checks the encoding against the model when the model is known. */
function framingFor(
  model: string,
  encoding: Encoding,
  options: CountChatTokensOptions | undefined,
): ChatFraming {
  const info = modelInfo(model);
  if (!isEncoding(encoding)) {
    throw new InvalidTokensInputError(
      `Pass the model's encoding as the second argument: await getEncoding("${info?.encoding ?? "cl100k_base"}"), ` +
        `or call await countChatTokensFor(request), which loads it.`,
    );
  }
  const explicit = options?.tokensPerMessage !== undefined && options.tokensPerName !== undefined;
  // A name outside the table (a new snapshot, an Azure deployment) counts with the encoding
  // given and the current framing unless the caller says otherwise.
  const known = info === undefined || explicit ? undefined : chatFraming(model);
  if (info !== undefined) checkEncoding(model, info.encoding, encoding);
  const framing = known ?? DEFAULT_CHAT_FRAMING;
  return {
    tokensPerMessage: options?.tokensPerMessage ?? framing.tokensPerMessage,
    tokensPerName: options?.tokensPerName ?? framing.tokensPerName,
  };
}

function checkEncoding(model: string, expected: string, encoding: Encoding): void {
  if (encoding.name !== expected) {
    throw new InvalidTokensInputError(
      `${model} uses ${expected}, but the ${encoding.name} encoding was passed. ` +
        `Pass await getEncoding("${expected}"), or ${expected} from the @oaikit/tokens/${expected} subpath.`,
    );
  }
}

function requestBody(request: unknown, fn: string): Json {
  if (!isObject(request)) {
    throw new InvalidTokensInputError(
      `${fn}() takes a chat completion request body, got ${request === null ? "null" : typeof request}.`,
    );
  }
  return request;
}

/**
 * Prompt tokens of a chat completion request, as the API reports them in
 * `usage.prompt_tokens`. Messages follow OpenAI's cookbook formula (exact for plain messages);
 * `functions`, `function_call` and function messages follow the community's reverse-engineered
 * rules (matching the API's recorded counts, but not published by OpenAI). A model outside the
 * table (a new snapshot, an Azure deployment name) is counted with the encoding given and
 * gpt-4's framing, or `tokensPerMessage`/`tokensPerName` when passed.
 * @example
 * import { cl100k_base } from "@oaikit/tokens/cl100k_base";
 * countChatTokens({ model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hello" }] }, cl100k_base); // 8
 * countChatTokens({ model: "my-azure-gpt4", messages }, cl100k_base); // any name, given the encoding
 */
export function countChatTokens(
  request: ChatCompletionRequest,
  encoding: Encoding,
  options?: CountChatTokensOptions,
): number {
  checkOptions("countChatTokens", options, COUNT_OPTIONS, (m) => new TokensOptionsError(m));
  checkCountOptions("countChatTokens", options);
  return count(requestBody(request, "countChatTokens"), encoding, options);
}

/**
 * {@link countChatTokens} in one call: loads the encoding the request's model uses (the
 * encodings are separate modules, imported on first use). Throws `UnknownModelError` for a
 * model outside the table; pass the encoding to {@link countChatTokens} for those.
 * @example
 * await countChatTokensFor({ model: "gpt-4", messages: [{ role: "user", content: "hello" }] }); // 8
 */
export async function countChatTokensFor(
  request: ChatCompletionRequest,
  options?: CountChatTokensOptions,
): Promise<number> {
  checkOptions("countChatTokensFor", options, COUNT_OPTIONS, (m) => new TokensOptionsError(m));
  checkCountOptions("countChatTokensFor", options);
  const body = requestBody(request, "countChatTokensFor");
  const model = modelOf(body, "countChatTokensFor");
  const info = modelInfo(model);
  if (info === undefined) {
    throw new UnknownModelError(
      model,
      `countChatTokensFor() cannot tell which encoding it uses; pass the encoding yourself: ` +
        `countChatTokens(request, await getEncoding("cl100k_base")) (the encoding of every gpt-4 and gpt-3.5-turbo model).`,
    );
  }
  return count(body, await getEncoding(info.encoding), options);
}

function count(
  body: Json,
  encoding: Encoding,
  options: CountChatTokensOptions | undefined,
): number {
  const model = modelOf(body, "countChatTokens");
  const { tokensPerMessage: perMessage, tokensPerName: perName } = framingFor(
    model,
    encoding,
    options,
  );
  const messages = body["messages"];
  if (!Array.isArray(messages)) {
    throw new InvalidTokensInputError("countChatTokens(): request.messages must be an array.");
  }
  const functions: unknown = body["functions"];
  if (functions !== undefined && !Array.isArray(functions)) {
    throw new InvalidTokensInputError("countChatTokens(): request.functions must be an array.");
  }
  const hasFunctions = functions !== undefined && functions.length > 0;
  const tokens = (value: string): number =>
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
    total += perMessage + tokens(role) + tokens(content);
    if (message["name"] !== undefined && message["name"] !== null) {
      total += tokens(text(message["name"], `messages[${i}].name`)) + perName;
    }
    const call = message["function_call"];
    if (call !== undefined && call !== null) {
      if (!isObject(call)) {
        throw new InvalidTokensInputError(
          `countChatTokens(): messages[${i}].function_call must be { name, arguments }.`,
        );
      }
      total += tokens(text(call["name"], `messages[${i}].function_call.name`));
      total += tokens(text(call["arguments"], `messages[${i}].function_call.arguments`));
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
    total += tokens(renderFunctionDefinitions(definitions)) + FUNCTIONS_FRAMING;
    if (paddedSystem) total += SYSTEM_WITH_FUNCTIONS;
  }

  const functionCall = body["function_call"];
  if (functionCall === "none") {
    total += 1;
  } else if (isObject(functionCall)) {
    total += tokens(text(functionCall["name"], "function_call.name")) + 4;
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
  options?: ContextWindowOptions,
): ContextWindowCheck {
  return check(request, encoding, options, "checkContextWindow");
}

function check(
  request: ChatCompletionRequest,
  encoding: Encoding,
  options: ContextWindowOptions | undefined,
  fn: string,
): ContextWindowCheck {
  checkOptions(fn, options, WINDOW_OPTIONS, (m) => new TokensOptionsError(m));
  checkCountOptions(fn, options);
  checkInteger(fn, "contextWindow", options?.contextWindow, 1);
  const body = requestBody(request, fn);
  const promptTokens = count(body, encoding, options);
  const model = modelOf(body, fn);
  const window = options?.contextWindow ?? contextWindow(model);
  const raw = body["max_tokens"];
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
  options?: ContextWindowOptions,
): ContextWindowCheck {
  const result = check(request, encoding, options, "assertFitsContextWindow");
  if (!result.fits) {
    throw new ContextWindowExceededError(
      result.model,
      result.promptTokens,
      result.maxTokens,
      result.contextWindow,
    );
  }
  return result;
}
