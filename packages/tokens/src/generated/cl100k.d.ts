// Types of the table scripts/generate-ranks.mjs writes to cl100k.js (gitignored, built).
/** Number of ranks in the table. */
export declare const SIZE: number;
/** Length in bytes of the longest token. */
export declare const MAX_TOKEN_LENGTH: number;
/** Total byte length of all tokens. */
export declare const TOTAL_BYTES: number;
/** The most used left parts of the pairs (format in scripts/generate-ranks.mjs). */
export declare const HOT_LEFT: string;
/** The most used right parts of the pairs. */
export declare const HOT_RIGHT: string;
/** Each rank as the pair of lower ranks it joins (format in scripts/generate-ranks.mjs). */
export declare const PAIRS: string;
