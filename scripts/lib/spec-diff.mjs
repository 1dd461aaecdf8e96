// Classifies the changes between two versions of spec/openapi.yaml by what they do to users of
// the generated types and the client: `breaking` (code that compiled or worked stops doing so),
// `additive` (new things; old code unaffected) or `docs` (descriptions, examples, summaries).
//
// Why our own: api-smart-diff (the best-kept JS OpenAPI differ on the registry) reads OpenAPI
// 3.0 only and calls "a request field became required" non-breaking; oasdiff is a Go binary.
// Our spec is one hand-maintained 3.1 document with a known shape, so a direction-aware schema
// walk (requests: what a client may send; responses: what a client may read) is short.

const DOC_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "deprecated",
]);
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/**
 * @typedef {{ kind: "breaking" | "additive" | "docs", where: string, message: string }} SpecChange
 */

/** Every classified change from `before` to `after` (parsed OpenAPI documents). */
export function diffSpecs(before, after) {
  const changes = [];
  const add = (kind, where, message) => changes.push({ kind, where, message });
  const opsBefore = operations(before);
  const opsAfter = operations(after);
  for (const [id, op] of opsBefore) {
    const next = opsAfter.get(id);
    if (!next)
      add("breaking", id, `operation ${id} (${op.method.toUpperCase()} ${op.path}) was removed`);
    else compareOperation(id, op, next, { before, after, add });
  }
  for (const [id, op] of opsAfter) {
    if (!opsBefore.has(id))
      add("additive", id, `operation ${id} (${op.method.toUpperCase()} ${op.path}) was added`);
  }
  if (changes.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    add("docs", "(document)", "only descriptions, examples or metadata changed");
  }
  return changes;
}

/** The bump a set of changes needs for a package at `version`. */
export function requiredBump(changes, version) {
  const stable = !version.startsWith("0.");
  if (changes.some((c) => c.kind === "breaking")) return stable ? "major" : "minor";
  if (changes.some((c) => c.kind === "additive")) return stable ? "minor" : "patch";
  return "none";
}

function operations(doc) {
  const out = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      out.set(op.operationId ?? `${method} ${path}`, { path, method, op, params });
    }
  }
  return out;
}

function compareOperation(id, a, b, ctx) {
  if (a.path !== b.path || a.method !== b.method) {
    ctx.add(
      "breaking",
      id,
      `${id} moved from ${a.method.toUpperCase()} ${a.path} to ${b.method.toUpperCase()} ${b.path}`,
    );
  }
  const key = (p) => `${p.in}:${p.name}`;
  const paramsA = new Map(
    a.params.map((p) => [key(resolve(ctx.before, p)), resolve(ctx.before, p)]),
  );
  const paramsB = new Map(b.params.map((p) => [key(resolve(ctx.after, p)), resolve(ctx.after, p)]));
  for (const [k, p] of paramsA) {
    const q = paramsB.get(k);
    if (!q) ctx.add("breaking", `${id} ${k}`, `parameter ${p.name} (${p.in}) was removed`);
    else {
      if (!p.required && q.required)
        ctx.add("breaking", `${id} ${k}`, `parameter ${p.name} became required`);
      if (p.required && !q.required)
        ctx.add("additive", `${id} ${k}`, `parameter ${p.name} became optional`);
      compareSchema(`${id} ${k}`, p.schema, q.schema, "request", ctx);
    }
  }
  for (const [k, q] of paramsB) {
    if (!paramsA.has(k)) {
      ctx.add(
        q.required ? "breaking" : "additive",
        `${id} ${k}`,
        `${q.required ? "required" : "optional"} parameter ${q.name} (${q.in}) was added`,
      );
    }
  }
  const bodyA = resolve(ctx.before, a.op.requestBody);
  const bodyB = resolve(ctx.after, b.op.requestBody);
  if (bodyA || bodyB)
    compareContent(`${id} request`, bodyA?.content, bodyB?.content, "request", ctx);
  if (bodyA && bodyB && !bodyA.required && bodyB.required)
    ctx.add("breaking", `${id} request`, "the request body became required");
  const resA = a.op.responses ?? {};
  const resB = b.op.responses ?? {};
  for (const status of Object.keys(resA)) {
    const ra = resolve(ctx.before, resA[status]);
    const rb = resolve(ctx.after, resB[status]);
    if (!rb) {
      ctx.add(
        status.startsWith("2") ? "breaking" : "additive",
        `${id} ${status}`,
        `response ${status} was removed`,
      );
      continue;
    }
    compareContent(`${id} ${status}`, ra?.content, rb?.content, "response", ctx);
    compareHeaders(`${id} ${status}`, ra?.headers, rb?.headers, ctx);
  }
  for (const status of Object.keys(resB)) {
    if (!(status in resA)) ctx.add("additive", `${id} ${status}`, `response ${status} was added`);
  }
}

function compareHeaders(where, a = {}, b = {}, ctx) {
  for (const name of Object.keys(a))
    if (!(name in b))
      ctx.add("breaking", `${where} header ${name}`, `response header ${name} was removed`);
  for (const name of Object.keys(b))
    if (!(name in a))
      ctx.add("additive", `${where} header ${name}`, `response header ${name} was added`);
}

function compareContent(where, a = {}, b = {}, direction, ctx) {
  for (const type of Object.keys(a)) {
    if (!(type in b)) {
      ctx.add("breaking", `${where} ${type}`, `${direction} content type ${type} was removed`);
      continue;
    }
    compareSchema(`${where} ${type}`, a[type].schema, b[type].schema, direction, ctx);
  }
  for (const type of Object.keys(b)) {
    if (!(type in a))
      ctx.add("additive", `${where} ${type}`, `${direction} content type ${type} was added`);
  }
}

/** Compares two schemas; `seen` stops recursion through self-referencing `$ref`s. */
function compareSchema(where, rawA, rawB, direction, ctx, seen = new Set()) {
  if (rawA === undefined && rawB === undefined) return;
  const pair = `${rawA?.$ref ?? ""}|${rawB?.$ref ?? ""}|${direction}`;
  if (rawA?.$ref && rawB?.$ref) {
    if (seen.has(pair)) return;
    seen.add(pair);
  }
  const a = resolve(ctx.before, rawA) ?? {};
  const b = resolve(ctx.after, rawB) ?? {};
  const req = direction === "request";
  const add = (kind, message) => ctx.add(kind, where, message);

  // A plain schema that became a union (`T` → `oneOf: [T, null]`) or the reverse: compare the
  // plain one as the union's only branch, not keyword by keyword against a bare union.
  const ua = unionKey(a);
  const ub = unionKey(b);
  if ((ua === undefined) !== (ub === undefined)) {
    const union = ua ? a : b;
    const key = ua ?? ub;
    if (union.type === undefined && union.properties === undefined && union.items === undefined) {
      const la = ua ? a[key] : [rawA];
      const lb = ub ? b[key] : [rawB];
      compareBranches(where, key, la, lb, direction, ctx, seen);
      return;
    }
  }

  const typesA = types(a);
  const typesB = types(b);
  if (typesA && typesB) {
    const lost = typesA.filter(
      (t) => !typesB.includes(t) && !(t === "integer" && typesB.includes("number")),
    );
    const gained = typesB.filter(
      (t) => !typesA.includes(t) && !(t === "number" && typesA.includes("integer")),
    );
    if (lost.length > 0)
      add(
        "breaking",
        `type ${typesA.join("|")} → ${typesB.join("|")} (no longer ${lost.join(", ")})`,
      );
    else if (gained.length > 0)
      add(
        req ? "additive" : "breaking",
        `type ${typesA.join("|")} → ${typesB.join("|")}${gained.includes("null") ? nullNote(req, true) : ""}`,
      );
  }
  if (a.enum || b.enum) {
    const ea = a.enum ?? [];
    const eb = b.enum ?? [];
    for (const v of ea)
      if (b.enum && !eb.includes(v)) add("breaking", `enum value ${JSON.stringify(v)} was removed`);
    for (const v of eb)
      if (!ea.includes(v))
        add(
          a.enum ? "additive" : "breaking",
          `enum value ${JSON.stringify(v)} was added${a.enum ? "" : " (the value was unrestricted)"}`,
        );
  }
  if ("const" in a || "const" in b) {
    if (JSON.stringify(a.const) !== JSON.stringify(b.const))
      add("breaking", `const ${JSON.stringify(a.const)} → ${JSON.stringify(b.const)}`);
  }
  compareBounds(a, b, req, add);

  const propsA = a.properties ?? {};
  const propsB = b.properties ?? {};
  const reqA = new Set(a.required ?? []);
  const reqB = new Set(b.required ?? []);
  for (const name of Object.keys(propsA)) {
    if (!(name in propsB)) {
      add(
        req && b.additionalProperties !== false ? "additive" : "breaking",
        `field ${name} was removed`,
      );
      continue;
    }
    compareSchema(`${where}.${name}`, propsA[name], propsB[name], direction, ctx, seen);
    if (req && !reqA.has(name) && reqB.has(name)) add("breaking", `field ${name} became required`);
    if (req && reqA.has(name) && !reqB.has(name)) add("additive", `field ${name} became optional`);
    if (!req && reqA.has(name) && !reqB.has(name))
      add("breaking", `response field ${name} became optional`);
    if (!req && !reqA.has(name) && reqB.has(name))
      add("additive", `response field ${name} is now always present`);
  }
  for (const name of Object.keys(propsB)) {
    if (name in propsA) continue;
    if (req && reqB.has(name)) add("breaking", `required field ${name} was added`);
    else add("additive", `${reqB.has(name) || !req ? "" : "optional "}field ${name} was added`);
  }
  if (a.items || b.items) compareSchema(`${where}[]`, a.items, b.items, direction, ctx, seen);
  for (const key of ["oneOf", "anyOf"])
    if (a[key] || b[key])
      compareBranches(where, key, a[key] ?? [], b[key] ?? [], direction, ctx, seen);
  const la = a.allOf ?? [];
  const lb = b.allOf ?? [];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] === undefined) add("breaking", `allOf branch ${i} was added`);
    else if (lb[i] === undefined)
      add(req ? "additive" : "breaking", `allOf branch ${i} was removed`);
    else compareSchema(`${where}<allOf[${i}]>`, la[i], lb[i], direction, ctx, seen);
  }
  if (typeof a.additionalProperties === "object" || typeof b.additionalProperties === "object") {
    compareSchema(
      `${where}{}`,
      asSchema(a.additionalProperties),
      asSchema(b.additionalProperties),
      direction,
      ctx,
      seen,
    );
  } else if (a.additionalProperties !== b.additionalProperties) {
    const closed = b.additionalProperties === false;
    add(
      req === closed ? "breaking" : "additive",
      `additionalProperties ${String(a.additionalProperties ?? true)} → ${String(b.additionalProperties ?? true)}`,
    );
  }
  const known = new Set([
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "additionalProperties",
    "$ref",
    ...BOUNDS.map(([k]) => k),
  ]);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (known.has(key) || DOC_KEYS.has(key) || key.startsWith("x-")) continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      add("breaking", `\`${key}\` changed (unclassified: review it)`);
  }
}

/**
 * Compares the branches of a `oneOf`/`anyOf` by what they are, not by position: a branch
 * inserted at the front is one added branch, not every branch changed. Branches of the same
 * signature (`$ref`, types) pair first; a `null` branch pairs only with a `null` branch; the
 * rest pair in order.
 */
function compareBranches(where, key, listA, listB, direction, ctx, seen) {
  const req = direction === "request";
  const sig = (doc, raw) => {
    const schema = resolve(doc, raw) ?? {};
    return `${raw?.$ref ?? ""}|${types(schema)?.join(",") ?? ""}`;
  };
  const sa = listA.map((raw) => sig(ctx.before, raw));
  const sb = listB.map((raw) => sig(ctx.after, raw));
  const pairs = [];
  const usedB = new Set();
  const leftA = [];
  sa.forEach((s, i) => {
    const j = sb.findIndex((t, k) => !usedB.has(k) && t === s);
    if (j >= 0) {
      usedB.add(j);
      pairs.push([i, j]);
    } else leftA.push(i);
  });
  const isNull = (s) => s === "|null";
  const leftB = sb.map((_, j) => j).filter((j) => !usedB.has(j));
  const restA = leftA.filter((i) => !isNull(sa[i]));
  const restB = leftB.filter((j) => !isNull(sb[j]));
  while (restA.length > 0 && restB.length > 0) pairs.push([restA.shift(), restB.shift()]);
  const removed = [...leftA.filter((i) => isNull(sa[i])), ...restA];
  const added = [...leftB.filter((j) => isNull(sb[j])), ...restB];
  const label = (s, i) => (isNull(s) ? "`null`" : String(i));
  for (const i of removed)
    ctx.add(
      req ? "breaking" : "additive",
      where,
      `${key} branch ${label(sa[i], i)} was removed${isNull(sa[i]) ? nullNote(req, false) : ""}`,
    );
  for (const j of added)
    ctx.add(
      req ? "additive" : "breaking",
      where,
      `${key} branch ${label(sb[j], j)} was added${isNull(sb[j]) ? nullNote(req, true) : ""}`,
    );
  for (const [i, j] of pairs)
    compareSchema(`${where}<${key}[${j}]>`, listA[i], listB[j], direction, ctx, seen);
}

function nullNote(req, added) {
  if (req) return added ? " (null is now accepted)" : " (null is no longer accepted)";
  return added ? " (the value can now be null)" : " (the value is no longer null)";
}

function unionKey(schema) {
  return schema.oneOf ? "oneOf" : schema.anyOf ? "anyOf" : undefined;
}

// [keyword, true when a larger value accepts more]
const BOUNDS = [
  ["maximum", true],
  ["exclusiveMaximum", true],
  ["maxLength", true],
  ["maxItems", true],
  ["maxProperties", true],
  ["minimum", false],
  ["exclusiveMinimum", false],
  ["minLength", false],
  ["minItems", false],
  ["minProperties", false],
  ["pattern", null],
  ["format", null],
  ["default", undefined],
];

function compareBounds(a, b, req, add) {
  for (const [key, looserWhenLarger] of BOUNDS) {
    const va = a[key];
    const vb = b[key];
    if (JSON.stringify(va) === JSON.stringify(vb)) continue;
    if (looserWhenLarger === undefined) {
      add(req ? "additive" : "docs", `default ${JSON.stringify(va)} → ${JSON.stringify(vb)}`);
      continue;
    }
    if (looserWhenLarger === null) {
      add(
        vb === undefined ? (req ? "additive" : "breaking") : "breaking",
        `${key} ${JSON.stringify(va)} → ${JSON.stringify(vb)}`,
      );
      continue;
    }
    const tighter =
      vb === undefined ? false : va === undefined ? true : looserWhenLarger ? vb < va : vb > va;
    // Requests: a tighter bound rejects what was accepted. Responses: a looser bound can
    // return what clients never saw.
    add(
      tighter === req ? "breaking" : "additive",
      `${key} ${JSON.stringify(va)} → ${JSON.stringify(vb)}`,
    );
  }
}

function types(schema) {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? [...schema.type].sort() : [schema.type];
}

function asSchema(value) {
  return typeof value === "object" ? value : value === false ? { not: {} } : {};
}

function resolve(doc, node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 32; hops++) {
    const path = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    current = path.reduce((value, part) => value?.[part], doc);
  }
  return current;
}
