export * from './errors.js';
export { RespParser } from './protocol/parser.js';
export type { RespValue, RespMap, RespParserOptions } from './protocol/parser.js';
export { encodeCommand, CommandEncoder } from './protocol/encoder.js';
export type { RedisArg } from './protocol/encoder.js';
