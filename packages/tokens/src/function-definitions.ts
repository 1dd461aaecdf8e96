// How the chat models see `functions`: OpenAI renders the JSON-schema definitions as a
// TypeScript namespace inside the prompt (`namespace functions { type f = (_: { … }) => any; }`).
// The layout below is the community's reverse-engineered rendering (hmarr/openai-chat-tokens,
// src/functions.ts at b8e3b11), which reproduces all 36 `usage.prompt_tokens` counts that
// project recorded against the API for gpt-3.5-turbo-0613 (test/fixtures/openai-chat-tokens-cases.json):
// - `anyOf` is a TypeScript union of its alternatives;
// - a property's `description` is a `// …` comment above it only at the top two levels of
//   nesting (indent < 2): descriptions of properties of nested objects are not in the prompt;
// - `const` and `additionalProperties` do not appear.
// OpenAI has not published the format. Schema keywords none of the recorded cases used
// (oneOf, allOf, $ref, not, default, format, pattern, minimum, title, …) have an unknown rendering; rather than
// guess low, each is rendered as a `// keyword: <JSON>` comment line, which costs more tokens
// than any compact rendering would, so a count errs on the high side for them.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords whose rendering the recorded counts pin down (rendered or known to be dropped). */
const KNOWN_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "description",
  "enum",
  "anyOf",
  "items",
  "const",
  "additionalProperties",
]);

/** Renders function definitions the way the chat models see them in the prompt. */
export function renderFunctionDefinitions(functions: readonly Json[]): string {
  const lines = ["namespace functions {", ""];
  for (const fn of functions) {
    if (typeof fn["description"] === "string" && fn["description"] !== "") {
      lines.push(`// ${fn["description"]}`);
    }
    const parameters = isObject(fn["parameters"]) ? fn["parameters"] : {};
    const properties = isObject(parameters["properties"]) ? parameters["properties"] : {};
    lines.push(...unknownKeywords(parameters));
    if (Object.keys(properties).length > 0) {
      lines.push(`type ${String(fn["name"])} = (_: {`);
      lines.push(renderProperties(parameters, 0));
      lines.push("}) => any;");
    } else {
      lines.push(`type ${String(fn["name"])} = () => any;`);
    }
    lines.push("");
  }
  lines.push("} // namespace functions");
  return lines.join("\n");
}

/** The properties of an object schema, one per line, without the braces. */
function renderProperties(schema: Json, indent: number): string {
  const properties = isObject(schema["properties"]) ? schema["properties"] : {};
  const required = Array.isArray(schema["required"]) ? (schema["required"] as unknown[]) : [];
  const lines: string[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const property = isObject(value) ? value : {};
    if (
      indent < 2 &&
      typeof property["description"] === "string" &&
      property["description"] !== ""
    ) {
      lines.push(`// ${property["description"]}`);
    }
    lines.push(...unknownKeywords(property));
    const optional = required.includes(name) ? "" : "?";
    lines.push(`${name}${optional}: ${renderType(property, indent)},`);
  }
  // Only the first line of a multi-line entry is indented: nested objects carry their own.
  return lines.map((line) => " ".repeat(indent) + line).join("\n");
}

function renderType(schema: Json, indent: number): string {
  if (Array.isArray(schema["anyOf"])) {
    return (schema["anyOf"] as unknown[])
      .map((option) => renderType(isObject(option) ? option : {}, indent))
      .join(" | ");
  }
  const values = Array.isArray(schema["enum"]) ? (schema["enum"] as unknown[]) : undefined;
  switch (schema["type"]) {
    case "string":
      return values ? values.map((v) => `"${String(v)}"`).join(" | ") : "string";
    case "number":
    case "integer":
      return values ? values.map((v) => String(v)).join(" | ") : "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "object":
      return ["{", renderProperties(schema, indent + 2), "}"].join("\n");
    case "array":
      return isObject(schema["items"]) ? `${renderType(schema["items"], indent)}[]` : "any[]";
    default:
      return "any";
  }
}

/** Keywords of `schema` whose rendering is unknown, as comment lines that overcount them. */
function unknownKeywords(schema: Json): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!KNOWN_KEYWORDS.has(key)) lines.push(`// ${key}: ${JSON.stringify(value) ?? ""}`);
  }
  return lines;
}
