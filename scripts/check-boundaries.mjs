#!/usr/bin/env node
// Enforces the package boundaries and the package shape of CONTRIBUTING.md:
// - core depends on openapi-fetch only, and its source imports nothing Node-only;
// - every published sibling takes @oaikit/core as a peer dependency and never depends on,
//   or imports, another sibling; private packages (demo, CLIs that combine) may;
// - every published package is ESM with an explicit exports map (types first, no wildcards);
// - every package runs the code linter (eslint.config.js) in its `lint` task.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(root, "packages");
const problems = [];
const report = (pkg, message) => problems.push(`${pkg}: ${message}`);

async function sourceFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

// Published packages on top of the siblings, allowed to depend on several of them.
const COMBINING = new Set(["@oaikit/cli", "@oaikit/batch", "@oaikit/retry-redis"]);

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

const rootLicense = await readFile(join(root, "LICENSE"), "utf8");

// Registry metadata: what a user sees on the package page and in the tarball.
async function checkMetadata(name, pkg, dirName) {
  if (pkg.license !== "MIT") report(name, `"license" must be "MIT"`);
  if (pkg.repository?.directory !== `packages/${dirName}`)
    report(name, `"repository.directory" must be "packages/${dirName}"`);
  if (!pkg.homepage) report(name, `"homepage" is missing`);
  if (!pkg.bugs?.url) report(name, `"bugs.url" is missing`);
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length < 3)
    report(name, `"keywords" needs a few entries`);
  const license = await readFile(join(packagesDir, dirName, "LICENSE"), "utf8").catch(() => null);
  if (license !== rootLicense) report(name, `LICENSE must be a copy of the root LICENSE`);
  for (const field of ["dependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (/^\d/.test(range))
        report(name, `${field}.${dep} is pinned to ${range}; use a caret range`);
    }
  }
}

function checkShape(name, pkg) {
  if (pkg.type !== "module") report(name, `"type" must be "module"`);
  if (pkg.sideEffects !== false) report(name, `"sideEffects" must be false`);
  if (JSON.stringify(pkg.files) !== JSON.stringify(["dist", "CHANGELOG.md"]))
    report(
      name,
      `"files" must be ["dist", "CHANGELOG.md"] (npm adds README, LICENSE, package.json)`,
    );
  if (pkg.engines?.node !== ">=20.19") report(name, `"engines.node" must be ">=20.19"`);
  const exportsMap = pkg.exports ?? {};
  if (!("./package.json" in exportsMap)) report(name, `exports must list "./package.json"`);
  for (const [key, target] of Object.entries(exportsMap)) {
    if (key.includes("*")) report(name, `exports key "${key}" is a wildcard`);
    if (typeof target === "object" && target !== null) {
      const conditions = Object.keys(target);
      if (conditions[0] !== "types") report(name, `exports["${key}"] must list "types" first`);
    }
  }
}

for (const dirName of await readdir(packagesDir)) {
  const manifestPath = join(packagesDir, dirName, "package.json");
  const pkg = JSON.parse(await readFile(manifestPath, "utf8").catch(() => "null"));
  if (!pkg) continue;
  const name = pkg.name;
  const deps = Object.keys(pkg.dependencies ?? {});
  const peers = Object.keys(pkg.peerDependencies ?? {});
  const files = await sourceFiles(join(packagesDir, dirName, "src"));
  const imports = [];
  for (const file of files) {
    // Comments hold examples (`import … from "@oaikit/core"` in JSDoc): skip them.
    const text = (await readFile(file, "utf8"))
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const match of text.matchAll(IMPORT)) {
      imports.push({ file: relative(root, file), spec: match[1] ?? match[2] });
    }
  }
  const external = imports.filter(({ spec }) => !spec.startsWith("."));

  // Per package, so turbo caches each package's lint and reruns it when a dependency changes.
  if (!/(^|&& )eslint \. --max-warnings 0( |$)/.test(pkg.scripts?.lint ?? ""))
    report(name, `"scripts.lint" must run \`eslint . --max-warnings 0\` (the code linter)`);

  if (pkg.private) continue; // the demo sits on top and may use anything
  if (COMBINING.has(name)) {
    // Published packages that sit on top (the CLI, the batch runner, store adapters) may
    // combine siblings, but keep the package shape.
    checkShape(name, pkg);
    await checkMetadata(name, pkg, dirName);
    continue;
  }

  checkShape(name, pkg);
  await checkMetadata(name, pkg, dirName);
  if (name === "@oaikit/core") {
    for (const dep of deps)
      if (dep !== "openapi-fetch")
        report(name, `depends on ${dep}; core depends on openapi-fetch only`);
    if (peers.length > 0) report(name, `has peer dependencies ${peers.join(", ")}`);
    for (const { file, spec } of external) {
      if (spec !== "openapi-fetch")
        report(
          name,
          `${file} imports "${spec}"; core runs wherever fetch exists and imports openapi-fetch only`,
        );
    }
    continue;
  }

  if (!peers.includes("@oaikit/core")) report(name, `must list @oaikit/core in peerDependencies`);
  if (deps.includes("@oaikit/core"))
    report(name, `lists @oaikit/core in dependencies; make it a peer dependency`);
  for (const dep of [...deps, ...peers]) {
    if (dep.startsWith("@oaikit/") && dep !== "@oaikit/core")
      report(name, `depends on sibling ${dep}`);
  }
  for (const { file, spec } of external) {
    if (spec.startsWith("@oaikit/") && !spec.startsWith("@oaikit/core")) {
      report(name, `${file} imports sibling "${spec}"`);
    }
    const bare = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
    if (
      !spec.startsWith("node:") &&
      bare !== "@oaikit/core" &&
      !deps.includes(bare) &&
      !peers.includes(bare)
    ) {
      report(name, `${file} imports "${spec}", which is not a dependency`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Package boundary check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("Package boundaries hold.");
