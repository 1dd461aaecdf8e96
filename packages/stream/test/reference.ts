// A deliberately naive, independent transcription of the WHATWG event-stream algorithm:
// decode everything at once (TextDecoder strips the BOM itself), walk characters one by
// one. Slow and obviously right; the fast parser must agree with it on every input.
import type { ServerSentEvent } from "../src/index.js";
import type { Parsed } from "./helpers.js";

export function referenceParse(bytes: Uint8Array): Parsed {
  const text = new TextDecoder().decode(bytes);
  const out: Parsed = { events: [], comments: [], retries: [] };
  let data = "";
  let type = "";
  let lastId = "";
  let line = "";
  const processLine = (l: string) => {
    if (l === "") {
      if (data === "") {
        type = "";
        return;
      }
      if (data.endsWith("\n")) data = data.slice(0, -1);
      const event: ServerSentEvent = { event: type || "message", data, id: lastId };
      out.events.push(event);
      data = "";
      type = "";
      return;
    }
    if (l.startsWith(":")) {
      const c = l.slice(1);
      out.comments.push(c.startsWith(" ") ? c.slice(1) : c);
      return;
    }
    const colon = l.indexOf(":");
    let field = l;
    let value = "";
    if (colon !== -1) {
      field = l.slice(0, colon);
      value = l.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
    }
    if (field === "event") type = value;
    else if (field === "data") data += value + "\n";
    else if (field === "id") {
      if (!value.includes("\0")) lastId = value;
    } else if (field === "retry") {
      if (/^[0-9]+$/.test(value)) out.retries.push(Number(value));
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\r") {
      processLine(line);
      line = "";
      if (text[i + 1] === "\n") i++;
    } else if (c === "\n") {
      processLine(line);
      line = "";
    } else {
      line += c;
    }
  }
  // An unterminated last line and an undispatched event are discarded.
  return out;
}
