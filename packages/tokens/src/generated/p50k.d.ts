// Types of the table scripts/generate-ranks.mjs writes to p50k.js (gitignored, built).
/** Number of ranks in the table. */
export declare const SIZE: number;
/** Length in bytes of the longest token. */
export declare const MAX_TOKEN_LENGTH: number;
/** One character per rank: its code minus 0x30 is the token's byte length (0 = no token). */
export declare const LENGTHS: string;
/** Every token's bytes in rank order, one Latin-1 character per byte. */
export declare const BYTES: string;
