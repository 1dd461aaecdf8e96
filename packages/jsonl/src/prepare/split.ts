// The seeded train/validation split of prepare_data for classification:
// n_train = max(n − 1000, int(0.8 n)) (int() truncates), a random sample of n_train rows for
// training, the rest for validation. prepare_data samples with pandas' `random_state=42`; we
// use our own small PRNG (mulberry32), so the same seed gives the same split on every run and
// platform, but not the same rows as the Python tool.

/** prepare_data's cap on validation examples. */
const MAX_VALID_EXAMPLES = 1000;

/** Training examples out of `n`: max(n − 1000, ⌊0.8 n⌋). */
export function trainCount(n: number): number {
  return Math.max(n - MAX_VALID_EXAMPLES, Math.floor(n * 0.8));
}

/** mulberry32: a 32-bit seeded PRNG (Tommy Ettinger's, public domain); floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which of `n` examples go to training: a bitmap (1 = train) with exactly `trainCount(n)`
 * ones, drawn by a partial Fisher–Yates shuffle seeded with `seed`. Memory: 5 bytes per example.
 */
export function trainMask(n: number, seed: number): Uint8Array {
  const k = trainCount(n);
  const random = mulberry32(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const mask = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
    mask[order[i]!] = 1;
  }
  return mask;
}
