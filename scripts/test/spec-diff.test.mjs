// spec:diff on fixture spec pairs: one pair per kind of change, each classified as the
// README's Releasing section says; and the `--check` gate on a scratch repo.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { diffSpecs, requiredBump } from "../lib/spec-diff.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const base = parse(readFileSync(join(here, "fixtures/spec-diff-base.yaml"), "utf8"));
const schemas = (doc) => doc.components.schemas;
const model = (doc) => doc.paths["/models/{model}"].get;
const prompt = (doc) => doc.components.schemas.CompletionRequest.properties.prompt;

const CASES = [
  ["operation removed", "breaking", (d) => delete d.paths["/chat/completions"]],
  [
    "operation added",
    "additive",
    (d) =>
      (d.paths["/engines"] = {
        get: { operationId: "listEngines", responses: { 200: { description: "OK" } } },
      }),
  ],
  ["parameter removed", "breaking", (d) => model(d).parameters.pop()],
  [
    "optional parameter added",
    "additive",
    (d) => model(d).parameters.push({ name: "after", in: "query", schema: { type: "string" } }),
  ],
  [
    "required parameter added",
    "breaking",
    (d) =>
      model(d).parameters.push({
        name: "org",
        in: "header",
        required: true,
        schema: { type: "string" },
      }),
  ],
  ["parameter became required", "breaking", (d) => (model(d).parameters[1].required = true)],
  ["parameter bound narrowed", "breaking", (d) => (model(d).parameters[1].schema.maximum = 50)],
  ["parameter bound widened", "additive", (d) => (model(d).parameters[1].schema.maximum = 500)],
  [
    "request enum value removed",
    "breaking",
    (d) => schemas(d).ChatRequest.properties.role.enum.pop(),
  ],
  [
    "request enum value added",
    "additive",
    (d) => schemas(d).ChatRequest.properties.role.enum.push("function"),
  ],
  ["request field made required", "breaking", (d) => schemas(d).ChatRequest.required.push("n")],
  ["request field made optional", "additive", (d) => (schemas(d).ChatRequest.required = [])],
  [
    "request field removed (closed object)",
    "breaking",
    (d) => delete schemas(d).ChatRequest.properties.n,
  ],
  [
    "optional request field added",
    "additive",
    (d) => (schemas(d).ChatRequest.properties.user = { type: "string" }),
  ],
  [
    "required request field added",
    "breaking",
    (d) => {
      schemas(d).ChatRequest.properties.user = { type: "string" };
      schemas(d).ChatRequest.required.push("user");
    },
  ],
  [
    "request type narrowed (null no longer accepted)",
    "breaking",
    (d) => (schemas(d).ChatRequest.properties.temperature.type = "number"),
  ],
  [
    "request type widened",
    "additive",
    (d) => (schemas(d).ChatRequest.properties.n.type = ["integer", "null"]),
  ],
  [
    "request type changed",
    "breaking",
    (d) => (schemas(d).ChatRequest.properties.model.type = "integer"),
  ],
  [
    "request oneOf branch removed",
    "breaking",
    (d) => schemas(d).ChatRequest.properties.stop.oneOf.pop(),
  ],
  ["request null branch removed", "breaking", (d) => prompt(d).oneOf.pop()],
  [
    "request union branches reordered (null first)",
    "docs",
    (d) => prompt(d).oneOf.unshift(prompt(d).oneOf.pop()),
  ],
  [
    "request maximum lowered",
    "breaking",
    (d) => (schemas(d).ChatRequest.properties.n.maximum = 10),
  ],
  ["response field removed", "breaking", (d) => delete schemas(d).Model.properties.owned_by],
  ["response field made optional", "breaking", (d) => (schemas(d).Model.required = ["id"])],
  [
    "response field added",
    "additive",
    (d) => (schemas(d).Model.properties.created = { type: "integer" }),
  ],
  [
    "response type widened",
    "breaking",
    (d) => (schemas(d).Model.properties.id.type = ["string", "null"]),
  ],
  [
    "response header removed",
    "breaking",
    (d) => delete model(d).responses["200"].headers["x-request-id"],
  ],
  [
    "response header added",
    "additive",
    (d) => (model(d).responses["200"].headers["openai-version"] = { schema: { type: "string" } }),
  ],
  ["2xx response removed", "breaking", (d) => delete model(d).responses["200"]],
  [
    "description changed",
    "docs",
    (d) => (schemas(d).Model.properties.id.description = "The model id."),
  ],
  ["summary changed", "docs", (d) => (model(d).summary = "Retrieves a model.")],
  [
    "unknown keyword changed",
    "breaking",
    (d) => (schemas(d).ChatRequest.properties.model.contentEncoding = "base64"),
  ],
];

for (const [name, kind, change] of CASES) {
  test(`${name} → ${kind}`, () => {
    const after = structuredClone(base);
    change(after);
    const changes = diffSpecs(base, after);
    assert.ok(changes.length > 0, "no change found");
    const worst = changes.some((c) => c.kind === "breaking")
      ? "breaking"
      : changes.some((c) => c.kind === "additive")
        ? "additive"
        : "docs";
    assert.equal(worst, kind, JSON.stringify(changes, null, 2));
  });
}

test("an added null is one additive change naming null: union branch (anywhere), type array, wrap", () => {
  const only = (before, after) => {
    const changes = diffSpecs(before, after);
    assert.equal(changes.length, 1, JSON.stringify(changes, null, 2));
    return changes[0];
  };
  const withoutNull = structuredClone(base);
  prompt(withoutNull).oneOf.pop();
  // appended, as spec/openapi.yaml did for `prompt`
  assert.deepEqual(only(withoutNull, base), {
    kind: "additive",
    where: "createCompletion request application/json.prompt",
    message: "oneOf branch `null` was added (null is now accepted)",
  });
  // inserted first: still one added branch, not every branch changed
  const first = structuredClone(withoutNull);
  prompt(first).oneOf.unshift({ type: "null" });
  assert.match(only(withoutNull, first).message, /^oneOf branch `null` was added/);
  assert.equal(only(withoutNull, first).kind, "additive");
  // "null" added to the type array of one branch of the union
  const typed = structuredClone(withoutNull);
  prompt(typed).oneOf[0].type = ["string", "null"];
  assert.deepEqual(only(withoutNull, typed), {
    kind: "additive",
    where: "createCompletion request application/json.prompt<oneOf[0]>",
    message: "type string → null|string (null is now accepted)",
  });
  // a plain property wrapped into `anyOf: [T, null]`
  const wrapped = structuredClone(base);
  const n = schemas(wrapped).ChatRequest.properties;
  n.n = { anyOf: [n.n, { type: "null" }] };
  assert.deepEqual(only(base, wrapped), {
    kind: "additive",
    where: "createChatCompletion request application/json.n",
    message: "anyOf branch `null` was added (null is now accepted)",
  });
  // in a response the same wrap is breaking (readers must handle null)
  const nullable = structuredClone(base);
  const props = schemas(nullable).Model.properties;
  props.parent = { oneOf: [props.parent, { type: "null" }] };
  const changes = diffSpecs(base, nullable);
  assert.ok(
    changes.length > 0 && changes.every((c) => c.kind === "breaking"),
    JSON.stringify(changes),
  );
  assert.ok(changes.some((c) => /`null` was added \(the value can now be null\)/.test(c.message)));
});

test("an unchanged spec has no changes, and self-references terminate", () => {
  assert.deepEqual(diffSpecs(base, structuredClone(base)), []);
});

test("the bump follows the worst change and the 0.x rule", () => {
  const breaking = [{ kind: "breaking", where: "x", message: "y" }];
  const additive = [{ kind: "additive", where: "x", message: "y" }];
  assert.equal(requiredBump(breaking, "0.3.0"), "minor");
  assert.equal(requiredBump(breaking, "1.2.0"), "major");
  assert.equal(requiredBump(additive, "0.3.0"), "patch");
  assert.equal(requiredBump(additive, "1.2.0"), "minor");
  assert.equal(requiredBump([{ kind: "docs", where: "x", message: "y" }], "1.0.0"), "none");
});

test("--check fails when a released spec broke and no core changeset asks for the bump", () => {
  const root = join(here, "../..");
  const scratch = mkdtempSync(join(tmpdir(), "oaikit-specdiff-"));
  try {
    for (const path of ["scripts", "spec", "packages/core/package.json"]) {
      cpSync(join(root, path), join(scratch, path), { recursive: true });
    }
    mkdirSync(join(scratch, ".changeset"));
    writeFileSync(join(scratch, ".changeset/README.md"), "changesets\n");
    symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
    const git = (...args) =>
      execFileSync("git", ["-c", "user.email=ci@oaikit.invalid", "-c", "user.name=ci", ...args], {
        cwd: scratch,
        stdio: "pipe",
      });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "release");
    git("tag", "@oaikit/core@0.1.0");
    const specPath = join(scratch, "spec/openapi.yaml");
    const spec = parse(readFileSync(specPath, "utf8"));
    delete spec.paths["/models"];
    writeFileSync(specPath, stringify(spec));
    const check = () =>
      spawnSync(process.execPath, ["scripts/spec-diff.mjs", "--check"], {
        cwd: scratch,
        encoding: "utf8",
      });

    const failed = check();
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    assert.match(failed.stderr, /needs a minor bump of @oaikit\/core/);
    assert.match(failed.stderr, /listModels/);

    writeFileSync(join(scratch, ".changeset/spec.md"), `---\n"@oaikit/core": patch\n---\n\nx\n`);
    assert.equal(check().status, 1, "a patch changeset is not enough for a breaking change at 0.x");

    writeFileSync(
      join(scratch, ".changeset/spec.md"),
      `---\n"@oaikit/core": minor\n---\n\nRemoved listModels.\n`,
    );
    const passed = check();
    assert.equal(passed.status, 0, passed.stdout + passed.stderr);
    assert.match(passed.stdout, /breaking:\n {2}listModels: operation listModels/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
