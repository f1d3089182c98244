import type { RedisArg } from '../protocol/encoder.js';
import type { KeySpec } from './command.js';

/**
 * What the command table reads off a full argv for commands whose layout hangs on their arguments:
 * where the keys are (a `KeySpec` function) and how long a blocking command may hold its reply
 * (a `blockMs` function). Both are given to `command()` in registry.ts.
 */

/**
 * Key positions of a numkeys-style command: `count` keys after the count at `countAt`, after the
 * fixed key positions in `fixed` (ZUNIONSTORE's destination); with `step` 2, every other argument
 * (MSETEX's key value pairs). A count that is not a positive integer names no keys.
 */
export function numkeysSpec(countAt: number, fixed: readonly number[] = [], step = 1): KeySpec {
  return (argv) => {
    const out = fixed.slice();
    const n = Number(argv[countAt]);
    if (!Number.isInteger(n)) return out;
    for (let i = 0, at = countAt + 1; i < n && at < argv.length; i++, at += step) out.push(at);
    return out;
  };
}

/**
 * The block time in ms of a blocking command whose timeout (seconds, maybe fractional) is at `at`
 * (a negative `at` counts from the end). 0 means forever, as on the server.
 */
export function timeoutAt(at: number): (argv: ReadonlyArray<RedisArg>) => number | undefined {
  return (argv) => {
    const v = Number(argv[at < 0 ? argv.length + at : at]);
    return Number.isFinite(v) && v >= 0 ? Math.ceil(v * 1000) : undefined;
  };
}
