#!/usr/bin/env node
// `pnpm release:rehearse`: the release, rehearsed on a real npm registry on loopback.
//   1. starts Verdaccio on 127.0.0.1 (a free port; @oaikit/* stored locally, the rest proxied);
//   2. versions a scratch copy of the repo with `changeset version` and publishes every public
//      package to it with `changeset publish`;
//   3. in fresh directories outside the repo, installs from that registry only what each
//      scenario needs and runs it: (a) ESM TypeScript, `tsc --noEmit` under nodenext and
//      bundler resolution; (b) CommonJS `require()` of each package; (c) core + stream against
//      @oaikit/mock started from its published bin; (d) a core minor published next, then
//      `npm install @oaikit/core@latest` beside the published siblings resolves (no ERESOLVE).
// Leaves nothing running and nothing outside its temp dirs. Every wait is bounded.
import { execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const changeset = join(root, "node_modules/@changesets/cli/bin.js");
const verdaccio = join(root, "node_modules/verdaccio/bin/verdaccio");
const work = mkdtempSync(join(tmpdir(), "oaikit-rehearsal-"));
const children = new Set();
const step = (message) => console.log(`\n▶ ${message}`);

function run(cmd, args, options = {}) {
  const { cwd = work, env = process.env, timeout = 600_000 } = options;
  try {
    return execFileSync(cmd, args, {
      cwd,
      env,
      timeout,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const out = `${error.stdout ?? ""}${error.stderr ?? ""}`
      .trim()
      .split("\n")
      .slice(-40)
      .join("\n");
    throw new Error(
      `${cmd} ${args.join(" ")} failed in ${cwd}${error.signal ? ` (${error.signal})` : ""}:\n${out}`,
    );
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not answer ${url} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function startChild(cmd, args, options) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  children.add(child);
  child.on("exit", () => children.delete(child));
  return { child, log: () => log };
}

async function startRegistry() {
  const port = await freePort();
  const dir = join(work, "registry");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "config.yaml"),
    [
      "storage: ./storage",
      "auth: { htpasswd: { file: ./htpasswd, max_users: 100 } }",
      "uplinks: { npmjs: { url: https://registry.npmjs.org/, timeout: 60s } }",
      "packages:",
      '  "@oaikit/*": { access: $all, publish: $authenticated }',
      '  "**": { access: $all, proxy: npmjs }',
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const registry = startChild(
    process.execPath,
    [verdaccio, "--config", "config.yaml", "--listen", `127.0.0.1:${port}`],
    { cwd: dir },
  );
  const url = `http://127.0.0.1:${port}/`;
  registryLog = registry.log;
  await waitFor(`${url}-/ping`, 60_000, "Verdaccio");
  const response = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "rehearsal", password: "rehearsal-password", type: "user" }),
  });
  const { token } = await response.json();
  if (!token) throw new Error(`Verdaccio gave no token: ${response.status}\n${registry.log()}`);
  const npmrc = join(work, ".npmrc");
  writeFileSync(
    npmrc,
    `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\nfund=false\naudit=false\nupdate-notifier=false\n`,
  );
  const env = {
    ...process.env,
    npm_config_userconfig: npmrc,
    npm_config_registry: url,
    npm_config_cache: join(work, "npm-cache"),
    CI: "true",
  };
  delete env.npm_config_globalconfig;
  return { url, env };
}

function scratchRepo() {
  const dir = join(work, "repo");
  const files = run("git", ["ls-files", "-z"], { cwd: root }).split("\0").filter(Boolean);
  for (const file of files) cpSync(join(root, file), join(dir, file), { recursive: true });
  for (const pkg of readdirSync(join(root, "packages"))) {
    const dist = join(root, "packages", pkg, "dist");
    if (existsSync(dist)) cpSync(dist, join(dir, "packages", pkg, "dist"), { recursive: true });
  }
  // pnpm publish resolves `workspace:` ranges through the installed links: install them
  // from the store the repo was installed from (no network).
  run("pnpm", ["install", "--offline", "--frozen-lockfile", "--ignore-scripts"], { cwd: dir });
  const git = (...args) =>
    run("git", ["-c", "user.email=ci@oaikit.invalid", "-c", "user.name=ci", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "rehearsal");
  return { dir, git };
}

function publicPackages(dir) {
  return readdirSync(join(dir, "packages"))
    .map((name) => JSON.parse(readFileSync(join(dir, "packages", name, "package.json"), "utf8")))
    .filter((pkg) => !pkg.private);
}

function release(repo, env, label) {
  step(`${label}: changeset version + changeset publish`);
  const started = Date.now();
  run(process.execPath, [changeset, "version"], { cwd: repo.dir, env });
  repo.git("add", "-A");
  repo.git("commit", "-qm", `version (${label})`);
  const out = run(process.execPath, [changeset, "publish"], { cwd: repo.dir, env });
  const published = [...out.matchAll(/New tag:\s+(\S+)/g)].map((m) => m[1]);
  console.log(
    `  published in ${Math.round((Date.now() - started) / 1000)} s: ${published.join(", ") || "(none)"}`,
  );
  return published;
}

function consumer(name, env, packageJson) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, ...packageJson }, null, 2),
  );
  return { dir, npm: (...args) => run("npm", args, { cwd: dir, env }) };
}

async function scenarioTypes(env, names) {
  step("(a) ESM TypeScript: tsc --noEmit under nodenext and bundler");
  const app = consumer("esm-types", env, { type: "module" });
  const tsVersion = JSON.parse(
    readFileSync(join(root, "node_modules/typescript/package.json"), "utf8"),
  ).version;
  app.npm("install", ...names, `typescript@${tsVersion}`, "@types/node@20");
  const imports = names.map((n, i) => `import * as p${i} from "${n}";`).join("\n");
  writeFileSync(
    join(app.dir, "index.ts"),
    `${imports}
import { createOpenAIClient, isAPIError, type Schemas } from "@oaikit/core";
const client = createOpenAIClient({ apiKey: "sk-rehearsal", baseUrl: "http://127.0.0.1:9/v1" });
const model: Schemas["Model"]["id"] = "gpt-3.5-turbo";
export const checks = [client, model, isAPIError, ${names.map((_, i) => `p${i}`).join(", ")}];
`,
  );
  for (const [resolution, module] of [
    ["nodenext", "nodenext"],
    ["bundler", "esnext"],
  ]) {
    writeFileSync(
      join(app.dir, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module,
          moduleResolution: resolution,
          target: "es2022",
          lib: ["es2023", "dom"],
          types: ["node"],
          skipLibCheck: false,
        },
        files: ["index.ts"],
      }),
    );
    run(
      process.execPath,
      [join(app.dir, "node_modules/typescript/bin/tsc"), "-p", `tsconfig.${resolution}.json`],
      { cwd: app.dir, env },
    );
    console.log(`  tsc --noEmit (moduleResolution ${resolution}): ok`);
  }
}

function scenarioRequire(env, names) {
  step("(b) CommonJS require() of each package");
  const app = consumer("cjs", env, { type: "commonjs" });
  app.npm("install", ...names);
  writeFileSync(
    join(app.dir, "index.cjs"),
    `for (const name of ${JSON.stringify(names)}) {
  const mod = require(name);
  const exported = Object.keys(mod).filter((k) => k !== "__esModule");
  if (exported.length === 0) throw new Error(name + " exported nothing through require()");
  console.log("  require(" + JSON.stringify(name) + "): " + exported.length + " exports");
}
`,
  );
  process.stdout.write(run(process.execPath, ["index.cjs"], { cwd: app.dir, env }));
  // What the registry served: the tarball's files and manifest, as a user gets them.
  for (const name of names) {
    const dir = join(app.dir, "node_modules", name);
    for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "dist"]) {
      if (!existsSync(join(dir, file))) throw new Error(`${name} was published without ${file}`);
    }
    const manifest = readFileSync(join(dir, "package.json"), "utf8");
    if (/"(workspace|catalog):/.test(manifest))
      throw new Error(`${name}'s published manifest has a workspace:/catalog: range`);
  }
  console.log(
    "  every tarball holds LICENSE, CHANGELOG.md, README.md and dist; no workspace:/catalog: ranges",
  );
}

async function scenarioMock(env) {
  step("(c) core + stream against @oaikit/mock started from its published bin");
  const app = consumer("mock-e2e", env, { type: "module" });
  app.npm("install", "@oaikit/core", "@oaikit/stream", "@oaikit/mock");
  const port = await freePort();
  const mock = startChild(
    join(app.dir, "node_modules/.bin/oaikit-mock"),
    ["--port", String(port)],
    { cwd: app.dir, env },
  );
  try {
    await waitFor(`http://127.0.0.1:${port}/v1/models`, 60_000, "oaikit-mock").catch(async () => {
      // /v1/models needs a key on a mock with auth: any answer at all means it is up.
      await waitFor(`http://127.0.0.1:${port}/`, 1, "oaikit-mock");
    });
  } catch {
    // Fall through: the client below reports the real failure with the mock's log.
  }
  writeFileSync(
    join(app.dir, "run.mjs"),
    `import { createOpenAIClient, unwrap } from "@oaikit/core";
import { streamChatCompletion } from "@oaikit/stream";
const client = createOpenAIClient({ apiKey: "sk-rehearsal", baseUrl: "http://127.0.0.1:${port}/v1" });
const models = unwrap(await client.GET("/models"));
if (!Array.isArray(models.data) || models.data.length === 0) throw new Error("no models");
let text = "";
for await (const chunk of streamChatCompletion(client, { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hello rehearsal" }] })) {
  text += chunk.choices[0]?.delta?.content ?? "";
}
if (!text.includes("hello rehearsal")) throw new Error("unexpected stream text: " + text);
console.log("  " + models.data.length + " models; streamed " + text.length + " characters");
`,
  );
  try {
    process.stdout.write(
      run(process.execPath, ["run.mjs"], { cwd: app.dir, env, timeout: 120_000 }),
    );
  } catch (error) {
    throw new Error(`${error.message}\n--- oaikit-mock log ---\n${mock.log()}`);
  }
  mock.child.kill();
}

function scenarioCoreMinor(env, repo, siblings) {
  step("(d) a core minor next to the published siblings");
  const app = consumer("upgrade", env, { type: "module" });
  app.npm("install", "@oaikit/core", ...siblings);
  const before = JSON.parse(
    readFileSync(join(app.dir, "node_modules/@oaikit/core/package.json"), "utf8"),
  ).version;
  writeFileSync(
    join(repo.dir, ".changeset/rehearsal-core-minor.md"),
    `---\n"@oaikit/core": minor\n---\n\nRehearsal: a core minor.\n`,
  );
  repo.git("add", "-A");
  repo.git("commit", "-qm", "core minor");
  const published = release(repo, env, "round 2 (core minor only)");
  const bumpedSiblings = published.filter((tag) => siblings.some((s) => tag.startsWith(`${s}@`)));
  if (bumpedSiblings.length > 0)
    throw new Error(`a core minor republished siblings: ${bumpedSiblings.join(", ")}`);
  app.npm("install", "@oaikit/core@latest");
  const after = JSON.parse(
    readFileSync(join(app.dir, "node_modules/@oaikit/core/package.json"), "utf8"),
  ).version;
  app.npm("ls", "--all");
  if (after === before) throw new Error(`@oaikit/core stayed at ${before}`);
  console.log(
    `  @oaikit/core ${before} → ${after} beside ${siblings.join(", ")}: npm install and npm ls ok (no ERESOLVE)`,
  );
}

async function main() {
  step("build");
  if (!process.env.REHEARSE_NO_BUILD) run("pnpm", ["build"], { cwd: root });
  step("start Verdaccio on loopback");
  const { url, env } = await startRegistry();
  console.log(`  registry ${url}`);
  const repo = scratchRepo();
  release(repo, env, "round 1 (the changesets on this branch)");
  const names = publicPackages(repo.dir).map((p) => p.name);
  for (const name of names) {
    const latest = run("npm", ["view", name, "dist-tags.latest"], { env }).trim();
    if (!latest) throw new Error(`${name} is not on the registry after publish`);
  }
  console.log(`  on the registry: ${names.join(", ")}`);
  const libraries = names.filter((n) => n !== "@oaikit/cli");
  await scenarioTypes(env, libraries);
  scenarioRequire(env, libraries);
  await scenarioMock(env);
  const siblings = publicPackages(repo.dir)
    .filter((p) => p.peerDependencies?.["@oaikit/core"])
    .map((p) => p.name);
  scenarioCoreMinor(env, repo, siblings);
  console.log("\nRelease rehearsal passed.");
}

let failed = false;
let registryLog;
try {
  await main();
} catch (error) {
  failed = true;
  const cause = error.cause
    ? ` (${error.cause.code ?? ""} ${error.cause.message ?? error.cause})`
    : "";
  console.error(`\nRelease rehearsal failed: ${error.message}${cause}`);
  if (registryLog)
    console.error(
      `--- Verdaccio log (last lines) ---\n${registryLog().split("\n").slice(-30).join("\n")}`,
    );
} finally {
  for (const child of children) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
