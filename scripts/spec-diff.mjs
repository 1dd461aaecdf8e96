#!/usr/bin/env node
// `pnpm spec:diff [--base REF] [--json] [--check]`: what the spec change since REF does to users.
//   REF defaults to the last core release tag (`@oaikit/core@x.y.z`), else the merge base with
//   main. `--check` (run by `pnpm test`) fails when the change needs a bigger core bump than the
//   pending changesets ask for: breaking → major (minor while core is 0.x), additive → minor
//   (patch while 0.x), docs → none.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { diffSpecs, requiredBump } from "./lib/spec-diff.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const git = (...a) =>
  execFileSync("git", a, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const tryGit = (...a) => {
  try {
    return git(...a);
  } catch {
    return undefined;
  }
};

function baseRef() {
  const given = value("--base");
  if (given) return { ref: given, why: "--base" };
  const tag = tryGit("describe", "--tags", "--abbrev=0", "--match", "@oaikit/core@*");
  if (tag) return { ref: tag, why: "the last core release" };
  const head = tryGit("rev-parse", "HEAD");
  for (const branch of ["origin/main", "main"]) {
    const base = tryGit("merge-base", "HEAD", branch);
    if (base && base !== head) return { ref: base, why: `the merge base with ${branch}` };
  }
  return undefined;
}

const ORDER = ["none", "patch", "minor", "major"];

function pendingCoreBump() {
  let best = "none";
  const dir = join(root, ".changeset");
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md") || file === "README.md") continue;
    const head = readFileSync(join(dir, file), "utf8").split(/^---\s*$/m)[1] ?? "";
    const match = head.match(/["']?@oaikit\/core["']?\s*:\s*(major|minor|patch)/);
    if (match && ORDER.indexOf(match[1]) > ORDER.indexOf(best)) best = match[1];
  }
  return best;
}

const base = baseRef();
const after = parse(readFileSync(join(root, "spec/openapi.yaml"), "utf8"));
if (!base) {
  const message = "spec:diff: no release tag and no merge base to compare with; nothing to check.";
  console.log(
    flag("--json") ? JSON.stringify({ base: null, changes: [], requiredBump: "none" }) : message,
  );
  process.exit(0);
}
const beforeText = tryGit("show", `${base.ref}:spec/openapi.yaml`);
const changes = beforeText === undefined ? [] : diffSpecs(parse(beforeText), after);
const version = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8")).version;
const needed = requiredBump(changes, version);

if (flag("--json")) {
  console.log(JSON.stringify({ base: base.ref, changes, requiredBump: needed }, null, 2));
} else {
  console.log(
    `spec/openapi.yaml compared with ${base.ref} (${base.why}): ${changes.length} change(s).`,
  );
  for (const kind of ["breaking", "additive", "docs"]) {
    const list = changes.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    console.log(`\n${kind}:`);
    for (const c of list) console.log(`  ${c.where}: ${c.message}`);
  }
  console.log(`\n@oaikit/core ${version} needs at least a ${needed} bump for this.`);
}

if (flag("--check")) {
  const pending = pendingCoreBump();
  if (ORDER.indexOf(pending) < ORDER.indexOf(needed)) {
    const first = changes.find(
      (c) =>
        c.kind ===
        (needed === "patch"
          ? "additive"
          : changes.some((x) => x.kind === "breaking")
            ? "breaking"
            : "additive"),
    );
    console.error(
      `spec:diff: the spec changed since ${base.ref} and needs a ${needed} bump of @oaikit/core, ` +
        `but the pending changesets ask for ${pending === "none" ? "none" : `only ${pending}`}` +
        `${first ? ` (e.g. ${first.where}: ${first.message})` : ""}. Run \`pnpm changeset\` and choose ${needed} for @oaikit/core.`,
    );
    process.exit(1);
  }
}
