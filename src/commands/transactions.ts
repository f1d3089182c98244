import { Flag } from './command.js';
import { command, exclude, keyRange } from './registry.js';

/*
 * MULTI/EXEC/DISCARD and WATCH/UNWATCH change the state of the connection they run on: on the shared
 * multiplexed connection every other caller's commands would land inside the transaction, or be
 * watched for. `multi()` and `transaction(fn, { watch })` run them on a connection of their own.
 * Their infos are still registered, so the key and flag lookups (WATCH's keys pick a cluster slot)
 * know them.
 */

const T = Flag.NOSCRIPT | Flag.CONNSTATE;

command('multi', T);
command('exec', T);
command('discard', T);
command('watch', T, keyRange(1, -1));
command('unwatch', T);

const REASON =
  'changes the state of the connection it runs on, so it cannot run on the shared multiplexed connection; use multi() or transaction(fn, { watch }), which run it on a connection of their own';
for (const id of ['multi', 'exec', 'discard', 'watch', 'unwatch']) exclude(id, REASON);

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface TransactionCommands<C> {}

export const transactionMethods = {};
