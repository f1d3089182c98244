/**
 * What a user did to a leased connection that the next user must not inherit. The pool sees only what
 * the connection itself shows (replies owed, a subscription handler, db and name); a transaction left
 * open or a WATCH is visible only in the commands sent, so the isolated client notes them here.
 */
import { Flag } from '../commands/command.js';
import { lookup } from '../commands/registry.js';
import type { Connection } from '../connection/connection.js';
import type { RedisArg } from '../protocol/encoder.js';

/** Commands that change a connection for good, for when the command table does not know them. */
const STATEFUL = new Set([
  'select', 'hello', 'auth', 'reset', 'readonly', 'readwrite', 'monitor',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'client|setname', 'client|tracking', 'client|reply', 'client|no-evict', 'client|no-touch', 'client|caching',
]);

/** Tracks the state a callback left on a leased connection, so it is reset or dropped before the pool lends it again. */
export class Session {
  /** The callback settled and the connection went back: later commands must not reach it. */
  released = false;
  private inMulti = false;
  private watching = false;
  /** A change that cannot be undone cheaply (SELECT, SUBSCRIBE, CLIENT TRACKING…). */
  private changed = false;

  /** Records a command about to be sent on the leased connection, by its table id and flags. */
  note(id: string, flags: number): void {
    switch (id) {
      case 'multi':
        this.inMulti = true;
        return;
      case 'exec':
      case 'discard':
        this.inMulti = false;
        this.watching = false;
        return;
      case 'watch':
        if (!this.inMulti) this.watching = true;
        return;
      case 'unwatch':
        this.watching = false;
        return;
    }
    if ((flags & Flag.CONNSTATE) !== 0 || STATEFUL.has(id)) this.changed = true;
  }

  /** `note` for a raw argv (from `call()`). */
  noteArgv(argv: ReadonlyArray<RedisArg>): void {
    const info = lookup(argv);
    if (info !== undefined) {
      this.note(info.id, info.flags);
      return;
    }
    const name = String(argv[0]).toLowerCase();
    const id = argv.length > 1 && (name === 'client') ? `${name}|${String(argv[1]).toLowerCase()}` : name;
    this.note(id, 0);
  }

  /**
   * Brings the connection back to a clean state if that is cheap (DISCARD an open transaction,
   * UNWATCH), and says whether it may be reused.
   */
  async tidy(conn: Connection): Promise<boolean> {
    this.released = true;
    if (this.changed || conn.state !== 'ready') return false;
    if (!this.inMulti && !this.watching) return true;
    // Behind replies still owed (perhaps a blocking command nobody awaited) a DISCARD could wait forever.
    if (conn.busy) return false;
    try {
      if (this.inMulti) await conn.send(['DISCARD']);
      else if (this.watching) await conn.send(['UNWATCH']);
    } catch {
      return false;
    }
    return true;
  }
}
