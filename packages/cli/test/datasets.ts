// Small datasets written by the tests (generated rather than checked in, so each test can
// vary them).
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "black", "white"];
const THINGS = ["apple", "car", "house", "bird", "river", "stone", "cloud", "book"];

/** `n` distinct legacy examples in the shape prepare_data recommends (separator, stop, leading space). */
export function legacyExamples(n: number): { prompt: string; completion: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const thing = THINGS[Math.floor(i / COLOURS.length) % THINGS.length]!;
    return {
      prompt: `Describe example ${i}: a ${colour} ${thing} ->`,
      completion: ` The ${thing} number ${i} is ${colour} and quite ordinary.\n`,
    };
  });
}

/** Writes values as JSONL. */
export function writeJsonl(dir: string, name: string, values: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, values.map((v) => JSON.stringify(v)).join("\n") + "\n");
  return path;
}

/** Writes a raw CSV of prompt,completion rows without separators or stop sequences. */
export function rawCsv(dir: string, name: string, n: number): string {
  const rows = legacyExamples(n).map(({ prompt, completion }) => {
    const p = prompt.replace(/ ->$/, "");
    const c = completion.trim();
    return `"${p.replace(/"/g, '""')}","${c.replace(/"/g, '""')}"`;
  });
  const path = join(dir, name);
  writeFileSync(path, `prompt,completion\n${rows.join("\n")}\n`);
  return path;
}
