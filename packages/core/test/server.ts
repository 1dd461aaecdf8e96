// Core's tests use the shared recording server (test-utils/recording-server.ts).
import type { Recorded } from "../../../test-utils/recording-server.js";

export {
  startRecordingServer as startServer,
  type Recorded,
  type RecordingServer as TestServer,
  type Reply,
} from "../../../test-utils/recording-server.js";

/** Parses a recorded multipart body with the platform's own FormData parser. */
export async function parseMultipart(req: Recorded): Promise<FormData> {
  const contentType = req.headers["content-type"];
  if (typeof contentType !== "string") throw new Error("no content-type");
  return new Response(new Uint8Array(req.body), {
    headers: { "content-type": contentType },
  }).formData();
}
