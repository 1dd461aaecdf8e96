// The version policy of CONTRIBUTING.md ("Versions"), checked on a scratch copy of the repo:
// a core minor stays inside every sibling's peer range (no sibling is bumped only because core
// moved), a core major bumps every peer dependent, and a sibling's own changeset decides its bump.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const changesetBin = join(root, "node_modules/@changesets/cli/bin.js");
let scratch;

function publishedPeers() {
  const peers = [];
  for (const dir of readdirSync(join(root, "packages"))) {
    const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    if (!pkg.private && pkg.peerDependencies?.["@oaikit/core"]) peers.push(pkg.name);
  }
  return peers;
}

function plan(changesets) {
  const dir = join(scratch, ".changeset");
  for (const file of readdirSync(dir))
    if (file.endsWith(".md") && file !== "README.md") rmSync(join(dir, file));
  changesets.forEach((releases, i) => {
    const head = Object.entries(releases)
      .map(([name, type]) => `"${name}": ${type}`)
      .join("\n");
    writeFileSync(join(dir, `scenario-${i}.md`), `---\n${head}\n---\n\nScenario ${i}.\n`);
  });
  const out = join(scratch, "status.json");
  execFileSync(process.execPath, [changesetBin, "status", `--output=${out}`], {
    cwd: scratch,
    stdio: "pipe",
  });
  const { releases } = JSON.parse(readFileSync(out, "utf8"));
  rmSync(out);
  return Object.fromEntries(releases.filter((r) => r.type !== "none").map((r) => [r.name, r.type]));
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "oaikit-versions-"));
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split(
    "\0",
  );
  for (const file of files.filter(Boolean)) {
    if (file.startsWith(".changeset/") && file.endsWith(".md") && !file.endsWith("README.md"))
      continue;
    cpSync(join(root, file), join(scratch, file), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
  const git = (...args) => execFileSync("git", args, { cwd: scratch, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.email=ci@oaikit.invalid", "-c", "user.name=ci", "commit", "-qm", "scratch");
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test("a core minor bumps no sibling that has no changeset of its own", () => {
  const releases = plan([{ "@oaikit/core": "minor" }]);
  assert.equal(releases["@oaikit/core"], "minor");
  for (const name of publishedPeers())
    assert.equal(releases[name], undefined, `${name} was bumped`);
});

test("a sibling's own changeset decides its bump, next to a core minor", () => {
  const releases = plan([
    { "@oaikit/core": "minor" },
    { "@oaikit/stream": "minor" },
    { "@oaikit/tokens": "patch" },
  ]);
  assert.equal(releases["@oaikit/stream"], "minor");
  assert.equal(releases["@oaikit/tokens"], "patch");
  assert.ok(!Object.values(releases).includes("major"), JSON.stringify(releases));
});

test("a core major bumps every sibling that takes core as a peer", () => {
  const releases = plan([{ "@oaikit/core": "major" }]);
  for (const name of publishedPeers())
    assert.equal(releases[name], "major", `${name}: ${releases[name]}`);
});

test("the release plan of the changesets on this branch is sane: no package jumps to 1.0", () => {
  const out = join(scratch, "current.json");
  const copy = mkdtempSync(join(tmpdir(), "oaikit-plan-"));
  try {
    // The checked-in changesets, planned on the scratch copy.
    for (const file of readdirSync(join(root, ".changeset"))) {
      if (file.endsWith(".md") && file !== "README.md")
        cpSync(join(root, ".changeset", file), join(copy, file));
    }
    const dir = join(scratch, ".changeset");
    for (const file of readdirSync(dir))
      if (file.endsWith(".md") && file !== "README.md") rmSync(join(dir, file));
    for (const file of readdirSync(copy)) cpSync(join(copy, file), join(dir, file));
    execFileSync(process.execPath, [changesetBin, "status", `--output=${out}`], {
      cwd: scratch,
      stdio: "pipe",
    });
    const { releases } = JSON.parse(readFileSync(out, "utf8"));
    for (const release of releases) {
      assert.ok(
        !release.newVersion.startsWith("1."),
        `${release.name} would be released as ${release.newVersion}`,
      );
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
