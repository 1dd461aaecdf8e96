// Run by hostile.test.ts as `node test/server-child.mjs '<options JSON>'`: the built mock
// (dist/; turbo builds before testing) in a process of its own, as a CI suite or a load test
// meets it, so the client reads (and uploads) while the server works. In one process the
// client cannot read while the server writes, and a test there cannot see what a separate
// client sees. Prints the base URL; SIGTERM closes the server.
import { createMockServer } from "../dist/index.js";

const server = await createMockServer(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
