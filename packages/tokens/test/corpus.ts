// Texts the golden tests run through every encoding. Each targets a way tokenizers diverge.

const code = `import { readFile } from "node:fs/promises";

export async function load(path: string): Promise<Record<string, number>> {
\tconst text = await readFile(path, "utf8");
\treturn JSON.parse(text) as Record<string, number>; // 'single' "double" \`template\`
}

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)\r\n\r\n#include <stdio.h>\nint main(void) { printf("%d\\n", 42); }
`;

export const CORPUS: readonly string[] = [
  "",
  "hello world",
  "Hello, World! How's it going? I'm fine; you'll see, we'd've, THEY'RE, She'S, it'LL",
  "The quick brown fox jumps over the lazy dog. ".repeat(20),
  code,
  "line one\r\nline two\r\n\r\n\r\nline three\n\n\n  \n\t\n",
  "   leading spaces, trailing spaces   ",
  " ".repeat(257) + "x" + "\t".repeat(40) + "y" + " \u00a0 \u3000 ",
  "\n".repeat(300) + "\r".repeat(5) + "\r\n".repeat(50),
  "1 12 123 1234 12345 123456 3.14159265358979 -42 1,000,000 0x1F 1e-9 ٣٤٥ ¾ Ⅻ",
  "9".repeat(1000),
  "我们都是好朋友。今天天气很好，我们去公园散步吧！中文字符测试一下。",
  "日本語のテキストとカタカナ、ひらがな。한국어 텍스트도 있습니다.",
  "Ελληνικά κείμενο, русский текст, עברית, العربية, हिन्दी, ไทย",
  "emoji 😀😃😄 flags 🇺🇸🇯🇵 skin 👍🏽 zwj 👨‍👩‍👧‍👦 👩🏽‍💻 🏳️‍🌈 keycap 1️⃣",
  "mixed: abc中文123😀def\u0301e\u0301 café naïve coöperate",
  "quotes ’s ‘t “x” «y» — – … ・",
  "weird spaces:\u0085\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff|\u200b\u200d",
  "'s 't 're 've 'm 'll 'd 'S 'T 'RE 'Ve 'M 'Ll 'D 'x '' ''' 'ſ x'ſ",
  "<|endoftext> <| |> <|fim_prefix| <endoftext|>",
  "a\u0000b\u0001c\u001fd\u007f",
  "\ud800 lone high, lone low \udc00, reversed \udc00\ud800",
  "𝕳𝖊𝖑𝖑𝖔 𝟙𝟚𝟛 𐍈 𠀀𠀁 \u{2EBF0}\u{2EBF1} \u{31350}",
  "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ/+==",
  "https://example.com/path?query=value&other=1#fragment user@example.com",
  '{"key": [1, 2, 3], "nested": {"a": null, "b": true}}',
  "\t\t\tindented\n        more\n",
  "a".repeat(2000),
  "ab".repeat(1500),
  " a".repeat(500),
  "中".repeat(700),
  "!".repeat(600) + "?".repeat(33),
];
