#!/usr/bin/env node
// `pnpm release`: publish only what the full test command has just passed on, from a clean
// tree. The flow (README, "Releasing"): changesets land with each change → `pnpm
// version-packages` (a version PR) → merge → `pnpm release` on main.
import { execFileSync } from "node:child_process";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
const status = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" });
if (status.trim() !== "") {
  console.error("pnpm release: the working tree is not clean; commit or stash first:\n" + status);
  process.exit(1);
}
const branch = execFileSync("git", ["rev-parse", "--abbrev-ref", "HEAD"], {
  encoding: "utf8",
}).trim();
if (branch !== "main" && process.env.OAIKIT_RELEASE_ANY_BRANCH !== "1") {
  console.error(`pnpm release: publish from main (you are on ${branch}).`);
  process.exit(1);
}
run("pnpm", ["test"]);
run("pnpm", ["exec", "changeset", "publish"]);
