// The modules' public surface, re-exported by src/index.ts.
export { setJsonCodec, strictJson } from './json.js';
export type { JsonValue, JsonCodec, JsonPath, JsonType, JsonSetOptions, JsonGetOptions, JsonArrIndexOptions, PerMatch } from './json.js';
