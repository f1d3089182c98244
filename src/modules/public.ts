// The modules' public surface, re-exported by src/index.ts.
export { setJsonCodec, strictJson } from './json.js';
export type { JsonValue, JsonCodec, JsonPath, JsonType, JsonSetOptions, JsonGetOptions, JsonArrIndexOptions, PerMatch } from './json.js';
export type {
  Sample,
  DuplicatePolicy,
  Aggregator,
  Labels,
  TsAlterOptions,
  TsCreateOptions,
  TsAddOptions,
  TsIncrByOptions,
  TsAggregation,
  TsRangeOptions,
  TsLabelOptions,
  TsMRangeOptions,
  TsMGetOptions,
  TsMGetEntry,
  TsMRangeEntry,
  TsRule,
  TsChunkInfo,
  TsInfo,
  Timestamp,
  RangeBound,
} from './timeseries.js';
export type {
  BfReserveOptions,
  BfInsertOptions,
  BfInfo,
  BfInfoField,
  CfReserveOptions,
  CfInsertOptions,
  CfInfo,
  ScanDumpChunk,
  CmsInfo,
  TopkReserveOptions,
  TopkInfo,
  TopkItemCount,
  TdigestInfo,
  Increments,
} from './bloom.js';
export type { VectorInput, VAddOptions, VSimQuery, VSimOptions, ScoredElement, VEmbRaw, VInfo } from './vectorset.js';
