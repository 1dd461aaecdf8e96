// Terminal conventions of every command: colour only on a TTY and never with NO_COLOR
// (https://no-color.org: present and not empty), progress bars only on a TTY outside CI.

type Stream = NodeJS.WriteStream;

/** True when `stream` may get ANSI colour. */
export function colorFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** True when a progress bar may be drawn on `stream` (a TTY, and `CI` not set). */
export function progressFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.CI;
}

/** The few styles the commands use; identity functions when colour is off. */
interface Paint {
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  dim: (text: string) => string;
  bold: (text: string) => string;
}

/** Styles for one stream. */
function paint(enabled: boolean): Paint {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    red: style(31, 39),
    yellow: style(33, 39),
    green: style(32, 39),
    dim: style(2, 22),
    bold: style(1, 22),
  };
}

/** Writes a line to stdout (results). */
export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Writes a line to stderr (messages, progress). */
export function note(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Styles for stderr messages. */
export const errPaint = (): Paint => paint(colorFor(process.stderr));
/** Styles for stdout results. */
export const outPaint = (): Paint => paint(colorFor(process.stdout));
