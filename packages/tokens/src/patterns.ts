import { LETTER, NUMBER } from "./generated/unicode-16.js";
import { classSource } from "./unicode-classes.js";

// The pre-tokenization regexes of tiktoken, rewritten for JavaScript so they split text at
// exactly the same places as tiktoken's Rust `fancy-regex` does. The encoders use the faster
// hand-written scanners in scanner.ts; these regexes are the reference the tests hold those
// scanners to (and are not bundled, since no entry point imports them).
//
// Three differences between the engines matter and are spelled out here:
// - Rust's `\s` is Unicode White_Space. JavaScript's `\s` also matches U+FEFF and misses
//   U+0085, so `\s` is replaced by the explicit White_Space class below.
// - cl100k's `(?i:'s|…)` group has no JavaScript equivalent (inline modifiers arrived after
//   Node 20), so each letter is listed in both cases. Rust's case-insensitive `s` also matches
//   U+017F (ſ, LATIN SMALL LETTER LONG S) through Unicode simple case folding; so does ours.

// - `\p{L}` and `\p{N}` follow the engine's Unicode version; tiktoken's are Unicode 16.0.0.
//   Both classes are spelled out from the pinned tables (unicode-classes.ts) instead.

/** \p{L} and \p{N} of Unicode 16.0.0, as class bodies. */
const L = classSource(LETTER);
const N = classSource(NUMBER);

/** Unicode White_Space, the meaning of `\s` in Rust's regex crate. */
const WS = "\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** GPT-2 style split used by r50k_base, p50k_base and p50k_edit. */
export const R50K_PATTERN = new RegExp(
  `'s|'t|'re|'ve|'m|'ll|'d| ?[${L}]+| ?[${N}]+| ?[^${WS}${L}${N}]+|[${WS}]+(?![^${WS}])|[${WS}]+`,
  "gu",
);

/** cl100k_base's split: case-insensitive contractions, 1–3 digit numbers, newline handling. */
export const CL100K_PATTERN = new RegExp(
  `'(?:[sS\\u017f]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\\r\\n${L}${N}]?[${L}]+|[${N}]{1,3}| ?[^${WS}${L}${N}]+[\\r\\n]*|[${WS}]*[\\r\\n]+|[${WS}]+(?![^${WS}])|[${WS}]+`,
  "gu",
);
