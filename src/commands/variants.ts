import type { RedisArg } from '../protocol/encoder.js';
import type { CommandInfo, MethodDef } from './command.js';
import { method } from './registry.js';

/**
 * Methods whose reply shape hangs on an argument (WITHSCORES, NOVALUES, JUSTID…) in a way the RESP2
 * reply alone cannot show: two definitions of the same command, and the argv picks one per call.
 */

/**
 * A method whose reply carries more only with an option (WITHSCORES…): the RESP2 reply is a flat list
 * either way, so the argv decides how to read it. `isTagged(argv)` must look at positions, not only at
 * the last word, since a key or member may itself be called 'WITHSCORES'.
 */
export function withOption(
  info: CommandInfo,
  build: (...args: any[]) => RedisArg[],
  isTagged: (argv: RedisArg[]) => boolean,
  tagged: (v: unknown) => unknown,
  plain?: (v: unknown) => unknown,
): MethodDef {
  const plainDef = method(info, build, plain);
  const taggedDef = method(info, build, tagged);
  return { ...plainDef, variant: (argv) => (isTagged(argv) ? taggedDef : plainDef) };
}

/** The last word is `token` and sits at `minIndex` or later (past every positional argument). */
export function endsWithFlag(token: string, minIndex: number): (argv: RedisArg[]) => boolean {
  return (argv) => argv.length > minIndex && argv[argv.length - 1] === token;
}

/** As endsWithFlag, for the SCAN family, where the word before may be MATCH (a pattern named like the flag). */
export function endsWithScanFlag(token: string): (argv: RedisArg[]) => boolean {
  return (argv) => argv.length > 3 && argv[argv.length - 1] === token && argv[argv.length - 2] !== 'MATCH';
}
