// How the chat models see `functions`: OpenAI renders the JSON-schema definitions as a
// TypeScript namespace inside the prompt. The layout below is the community's
// reverse-engineered rendering (hmarr/openai-chat-tokens), whose token counts were checked
// against the API's `usage.prompt_tokens` for gpt-3.5-turbo-0613. OpenAI has not published it,
// so counts for schemas outside what was checked (anyOf/oneOf/allOf, $ref, nested arrays of
// objects with descriptions, …) are estimates.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Renders function definitions the way the chat models see them in the prompt. */
export function renderFunctionDefinitions(functions: readonly Json[]): string {
  const lines = ["namespace functions {", ""];
  for (const fn of functions) {
    if (typeof fn["description"] === "string" && fn["description"] !== "") {
      lines.push(`// ${fn["description"]}`);
    }
    const parameters = isObject(fn["parameters"]) ? fn["parameters"] : {};
    const properties = isObject(parameters["properties"]) ? parameters["properties"] : {};
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
    if (typeof property["description"] === "string" && property["description"] !== "") {
      lines.push(`// ${property["description"]}`);
    }
    const optional = required.includes(name) ? "" : "?";
    lines.push(`${name}${optional}: ${renderType(property, indent)},`);
  }
  // Only the first line of a multi-line entry is indented: nested objects carry their own.
  return lines.map((line) => " ".repeat(indent) + line).join("\n");
}

function renderType(schema: Json, indent: number): string {
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
