// The counters module the bench gives checkDataset's worker threads (`countersModule`): the
// legacy base models' encoding (r50k_base) for prompts and completions, and gpt-3.5-turbo's
// chat formula for `messages`. Built on the workspace's @oaikit/tokens (a devDependency used
// only here).
import { countChatTokens, getEncoding } from "@oaikit/tokens";

const text = await getEncoding("r50k_base");
const chat = await getEncoding("cl100k_base");

export const countTokens = (value) => text.countTokens(value, { disallowedSpecial: [] });
export const countChat = (example) => countChatTokens({ ...example, model: "gpt-3.5-turbo" }, chat);
