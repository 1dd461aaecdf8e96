import type { RequestBody, Schemas } from "@oaikit/core";
import type { Handler } from "./context.js";
import { randomId } from "../http/ids.js";
import { json } from "../http/reply.js";
import { hash32, seededRandom } from "./text.js";

type Request = RequestBody<"createModeration">;
type Scores = Schemas["ModerationCategoryScores"];
type Category = keyof Scores;

// Words that push a category's score up, so tests and demos can trigger a flag on purpose.
const TRIGGERS: Record<Category, RegExp> = {
  hate: /\b(hate|racist|bigot)/i,
  "hate/threatening": /\b(kill|hurt|attack) (them|all)\b/i,
  "self-harm": /\b(kill myself|suicide|self-harm|hurt myself)\b/i,
  sexual: /\b(sex|porn|nude|explicit)/i,
  "sexual/minors": /\b(minor|child)\b.*\b(sex|nude)|\b(sex|nude)\b.*\b(minor|child)\b/i,
  violence: /\b(kill|murder|attack|shoot|stab|hurt)/i,
  "violence/graphic": /\b(blood|gore|dismember)/i,
};

/** Deterministic category scores for `text`: high for trigger words, near zero otherwise. */
function moderate(text: string): Schemas["ModerationResult"] {
  const random = seededRandom(hash32(text));
  const scores = {} as Scores;
  const categories = {} as Schemas["ModerationCategories"];
  for (const name of Object.keys(TRIGGERS) as Category[]) {
    const hit = TRIGGERS[name].test(text);
    scores[name] = hit ? 0.8 + random() * 0.19 : random() * 0.01;
    categories[name] = hit;
  }
  return { flagged: Object.values(categories).some(Boolean), categories, category_scores: scores };
}

/** `createModeration`: one result per input with all seven categories. */
export const createModeration: Handler = (ctx) => {
  const body = ctx.body as Request;
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  const model =
    body.model === "text-moderation-stable" ? "text-moderation-005" : "text-moderation-006";
  const response: Schemas["CreateModerationResponse"] = {
    id: randomId("modr-", 29),
    model,
    results: inputs.map(moderate),
  };
  return json(response);
};
