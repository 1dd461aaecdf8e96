// Terminal output for the tour: headings, indented lines, and where each part lives.
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Bold text. */
export const bold = paint("1");
/** Dim text. */
export const dim = paint("2");
/** Green text. */
export const green = paint("32");
/** Yellow text. */
export const yellow = paint("33");

/** Prints a numbered step heading and the source files the step exercises. */
export function heading(step: number, title: string, where: readonly string[]): void {
  process.stdout.write(`\n${bold(`${step}. ${title}`)}\n`);
  for (const path of where) process.stdout.write(`${dim(`   ↳ ${path}`)}\n`);
}

/** Prints one indented line. */
export function say(text: string): void {
  process.stdout.write(`   ${text}\n`);
}

/** Writes text without a newline (for streamed output). */
export function write(text: string): void {
  process.stdout.write(text);
}
