/**
 * Which commands hold their connection until the server answers: those must not run on the shared
 * multiplexed connection, where every command behind them would wait too.
 */
import { Flag, type CommandInfo } from '../commands/command.js';
import { lookup } from '../commands/registry.js';
import type { RedisArg } from '../protocol/encoder.js';

/** Seconds (as BLPOP takes them, fractions allowed) to ms; 0 stays 0 (forever). */
function seconds(arg: RedisArg | undefined): number {
  const s = Number(arg);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s * 1000) : 0;
}

function ms(arg: RedisArg | undefined): number {
  const v = Number(arg);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** The BLOCK option of XREAD / XREADGROUP, which must come before STREAMS. */
function blockOption(argv: ReadonlyArray<RedisArg>): number | undefined {
  for (let i = 1; i < argv.length - 1; i++) {
    const word = String(argv[i]).toUpperCase();
    if (word === 'STREAMS') return undefined;
    if (word === 'BLOCK') return ms(argv[i + 1]);
  }
  return undefined;
}

/**
 * The block time of the well-known blocking commands, for when the command table has none (a command
 * sent with `call()`, or a table entry not written yet). Undefined when the command does not block.
 */
const KNOWN = new Map<string, (argv: ReadonlyArray<RedisArg>) => number | undefined>([
  ['blpop', (a) => seconds(a[a.length - 1])],
  ['brpop', (a) => seconds(a[a.length - 1])],
  ['brpoplpush', (a) => seconds(a[a.length - 1])],
  ['blmove', (a) => seconds(a[a.length - 1])],
  ['bzpopmin', (a) => seconds(a[a.length - 1])],
  ['bzpopmax', (a) => seconds(a[a.length - 1])],
  ['blmpop', (a) => seconds(a[1])],
  ['bzmpop', (a) => seconds(a[1])],
  ['xread', blockOption],
  ['xreadgroup', blockOption],
  ['wait', (a) => ms(a[2])],
  ['waitaof', (a) => ms(a[3])],
]);

/**
 * How long (ms, 0 = forever) a command may hold its connection, or undefined when it does not block.
 * The table's own `blockMs` decides when it has one; then the list above; then the BLOCKING flag.
 */
export function blockingMs(info: CommandInfo | undefined, argv: ReadonlyArray<RedisArg>): number | undefined {
  if (info?.blockMs !== undefined) return info.blockMs(argv);
  const known = KNOWN.get(String(argv[0]).toLowerCase());
  if (known !== undefined) return known(argv);
  return info !== undefined && (info.flags & Flag.BLOCKING) !== 0 ? 0 : undefined;
}

/** `blockingMs` for a raw argv (as `call()` gets it), looking the command up in the table. */
export function blockingMsOfArgv(argv: ReadonlyArray<RedisArg>): number | undefined {
  return blockingMs(lookup(argv), argv);
}
