#!/usr/bin/env node
// Packs the package in the current directory the way `changeset publish` will (pnpm rewrites
// `workspace:` and `catalog:` ranges) and checks what a user would download: dist, README,
// LICENSE, CHANGELOG (once versioned) and the manifest, nothing else; no unresolved protocol
// range and no exactly pinned runtime dependency in the published manifest.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const problems = [];
const dir = mkdtempSync(join(tmpdir(), "oaikit-pack-"));
try {
  execFileSync("pnpm", ["pack", "--pack-destination", dir], { stdio: "pipe" });
  const tarball = execFileSync("ls", [dir], { encoding: "utf8" }).trim().split("\n")[0];
  const path = join(dir, tarball);
  const entries = execFileSync("tar", ["tzf", path], { encoding: "utf8" }).trim().split("\n");
  const files = entries
    .map((entry) => entry.replace(/^package\//, ""))
    .filter((f) => !f.endsWith("/"));
  const allowed = (file) =>
    ["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(file) ||
    file.startsWith("dist/");
  for (const file of files)
    if (!allowed(file)) problems.push(`unexpected file in the tarball: ${file}`);
  for (const required of ["package.json", "README.md", "LICENSE"]) {
    if (!files.includes(required)) problems.push(`${required} is missing from the tarball`);
  }
  if (!files.some((file) => file.startsWith("dist/")))
    problems.push("dist/ is missing: build first");
  let hasChangelog = false;
  try {
    readFileSync("CHANGELOG.md");
    hasChangelog = true;
  } catch {
    // Not versioned yet: no changelog to ship.
  }
  if (hasChangelog && !files.includes("CHANGELOG.md")) problems.push("CHANGELOG.md is not shipped");

  const manifest = JSON.parse(
    execFileSync("tar", ["xzOf", path, "package/package.json"], { encoding: "utf8" }),
  );
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(range))
        problems.push(`${field}.${name} is published as "${range}"`);
      if (field !== "peerDependencies" && /^\d/.test(range)) {
        problems.push(
          `${field}.${name} is pinned to ${range}: users get no patch releases; use ^${range}`,
        );
      }
    }
  }
  // The registry page renders the README outside the repo: a relative link there is dead.
  const readme = readFileSync("README.md", "utf8");
  for (const match of readme.matchAll(/\]\((\.{1,2}\/[^)\s]*)\)/g)) {
    problems.push(
      `README.md links to "${match[1]}", which is dead on the registry page; link to ${pkg.homepage?.replace(/#readme$/, "") ?? "the repository"} instead`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`${pkg.name}: the published tarball is not right:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${pkg.name}: the tarball holds dist, README and LICENSE, and a clean manifest.`);
