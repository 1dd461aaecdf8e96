/** Quotes `text` for a POSIX shell: bare when safe, '…' otherwise, $'…' with control characters. */
export function shellQuote(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (/[\x00-\x1f\x7f]/.test(text)) {
    const body = text
      .replace(/[\\']/g, (c) => `\\${c}`)
      .replace(/[\x00-\x1f\x7f]/g, (c) => {
        const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
        return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
      });
    return `$'${body}'`;
  }
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** The `oaikit fine-tune create` command for the prepared files. */
export function nextStepCommand(input: {
  train: string;
  validation?: string | undefined;
  model: string;
  classes?: number | undefined;
  positiveClass?: string | undefined;
}): string {
  const parts = ["oaikit", "fine-tune", "create", shellQuote(input.train)];
  if (input.validation !== undefined) parts.push("--validation", shellQuote(input.validation));
  parts.push("--model", shellQuote(input.model));
  if (input.validation !== undefined && input.classes !== undefined) {
    parts.push("--compute-classification-metrics");
    if (input.classes === 2 && input.positiveClass !== undefined) {
      parts.push("--classification-positive-class", shellQuote(input.positiveClass));
    } else parts.push("--classification-n-classes", String(input.classes));
  }
  return parts.join(" ");
}
