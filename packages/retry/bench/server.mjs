// A local OpenAI-like server for the overhead benchmark, run in its own process so it does not
// share the client's event loop. Prints its port on stdout. (Budget benchmarks run against
// @oaikit/mock's quantizing rate limits: `pnpm bench` in packages/retry-redis.)
import { createServer } from "node:http";

const reply =
  '{"id":"chatcmpl-1","object":"chat.completion","choices":[],"usage":{"total_tokens":1}}';
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(reply);
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
