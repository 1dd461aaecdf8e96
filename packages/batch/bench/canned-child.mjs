// The canned-answer server of support.mjs in a process of its own (for bench/layers.mjs).
import { startCannedServer } from "./support.mjs";

const server = await startCannedServer();
process.send(server.url);
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
