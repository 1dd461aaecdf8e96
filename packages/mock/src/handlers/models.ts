import type { Schemas } from "@oaikit/core";
import type { Handler, HandlerContext } from "./context.js";
import { errorReply, json, notFound } from "../http/reply.js";

// The models of mid-2023 the mock lists (with the dates OpenAI gives as `created`).
const BASE_MODELS: readonly [id: string, created: number][] = [
  ["gpt-4", 1687882411],
  ["gpt-4-0613", 1686588896],
  ["gpt-4-0314", 1687882410],
  ["gpt-4-32k", 1687979321],
  ["gpt-4-32k-0613", 1686588896],
  ["gpt-3.5-turbo", 1677610602],
  ["gpt-3.5-turbo-0613", 1686587434],
  ["gpt-3.5-turbo-0301", 1677649963],
  ["gpt-3.5-turbo-16k", 1683758102],
  ["gpt-3.5-turbo-16k-0613", 1685474247],
  ["text-davinci-003", 1669599635],
  ["text-davinci-002", 1649880484],
  ["text-davinci-edit-001", 1649809179],
  ["code-davinci-edit-001", 1649880484],
  ["text-embedding-ada-002", 1671217299],
  ["text-moderation-latest", 1677610602],
  ["text-moderation-stable", 1677610602],
  ["whisper-1", 1677532384],
  ["davinci", 1649359874],
  ["curie", 1649359874],
  ["babbage", 1649358449],
  ["ada", 1649357491],
];

type Model = Schemas["Model"];

function model(id: string, created: number, ownedBy: string, parent: string | null): Model {
  return {
    id,
    object: "model",
    created,
    owned_by: ownedBy,
    permission: [
      {
        id: `modelperm-${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}`,
        object: "model_permission",
        created,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: ["davinci", "curie", "babbage", "ada"].includes(id),
        organization: "*",
        group: null,
        is_blocking: false,
      },
    ],
    root: parent ?? id,
    parent,
  };
}

function allModels(ctx: HandlerContext): Model[] {
  const base = BASE_MODELS.map(([id, created]) => model(id, created, "openai", null));
  const tuned = [...ctx.state.fineTunedModels].map(([id, m]) =>
    model(id, m.created, "org-oaikit-mock", m.parent),
  );
  return [...base, ...tuned];
}

const noSuchModel = (id: string) =>
  notFound(`The model '${id}' does not exist`, "model", "model_not_found");

/** `listModels`: the mid-2023 base models plus models made by fine-tunes on this server. */
export const listModels: Handler = (ctx) => {
  const list: Schemas["ListModelsResponse"] = { object: "list", data: allModels(ctx) };
  return json(list);
};

/** `retrieveModel`: one model, or 404 `model_not_found`. */
export const retrieveModel: Handler = (ctx) => {
  const id = ctx.params.model ?? "";
  const found = allModels(ctx).find((m) => m.id === id);
  return found ? json(found) : noSuchModel(id);
};

/** `deleteModel`: deletes a fine-tuned model; base models answer 403. */
export const deleteModel: Handler = (ctx) => {
  const id = ctx.params.model ?? "";
  if (ctx.state.fineTunedModels.delete(id)) {
    const deleted: Schemas["DeleteModelResponse"] = { id, object: "model", deleted: true };
    return json(deleted);
  }
  if (BASE_MODELS.some(([base]) => base === id)) {
    return errorReply(403, {
      message: `You are not allowed to delete model ${id}; only fine-tuned models owned by your organization can be deleted.`,
      type: "invalid_request_error",
      param: "model",
    });
  }
  return noSuchModel(id);
};

/** `listEngines` (deprecated): the models, in the engines' shape. */
export const listEngines: Handler = (ctx) => {
  const list: Schemas["ListEnginesResponse"] = {
    object: "list",
    data: allModels(ctx).map((m) => ({
      id: m.id,
      object: "engine",
      owner: m.owned_by,
      ready: true,
      created: null,
    })),
  };
  return json(list);
};

/** `retrieveEngine` (deprecated): one model in the engine's shape, or 404. */
export const retrieveEngine: Handler = (ctx) => {
  const id = ctx.params.engine_id ?? "";
  const found = allModels(ctx).find((m) => m.id === id);
  if (!found) return notFound(`No such engine: ${id}`, "engine_id");
  const engine: Schemas["Engine"] = {
    id: found.id,
    object: "engine",
    owner: found.owned_by,
    ready: true,
    created: null,
  };
  return json(engine);
};
