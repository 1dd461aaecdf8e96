import * as data from "./generated/p50k.js";
import { buildRankTable, type RankTable } from "./rank-table.js";

/** r50k_base's ranks are the first 50,256 of p50k_base's (the build script checks this). */
const R50K_SIZE = 50_256;

let p50k: RankTable | undefined;
let r50k: RankTable | undefined;

/** p50k_base's ranks, shared by p50k_base and p50k_edit; built on first call. */
export function p50kTable(): RankTable {
  return (p50k ??= buildRankTable(data, data.SIZE));
}

/** r50k_base's ranks (the first 50,256 of p50k_base's); built on first call. */
export function r50kTable(): RankTable {
  return (r50k ??= buildRankTable(data, R50K_SIZE));
}
