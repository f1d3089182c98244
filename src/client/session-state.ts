/**
 * The session a connection carries (db, name, protocol, credentials, READONLY, CLIENT TRACKING) lives
 * in its options, which the handshake replays on every reconnect. Whatever path a command that
 * changes it takes (a method, `call()`, a pipeline, a MULTI), the change is written back here once the
 * server has agreed, so a reconnect restores the session the caller made rather than the one it began with.
 */
import type { Connection } from '../connection/connection.js';
import type { RedisArg } from '../protocol/encoder.js';
import { lookup } from '../commands/registry.js';

/** Table ids of the commands whose effect a reconnect must restore. */
const SESSION_IDS = new Set(['select', 'client|setname', 'auth', 'hello', 'reset', 'readonly', 'readwrite', 'client|tracking']);

export function isSessionCommand(id: string | null | undefined): boolean {
  return id != null && SESSION_IDS.has(id);
}

/** The session id of a raw argv (from `call()`), or null. */
export function sessionIdOf(argv: ReadonlyArray<RedisArg>): string | null {
  const id = lookup(argv)?.id;
  return isSessionCommand(id) ? id! : null;
}

const word = (a: RedisArg | undefined): string => (a === undefined ? '' : String(a).toUpperCase());

/** Applies a session command the server accepted to what the connection replays on reconnect. */
export function rememberSession(conn: Connection, id: string, argv: ReadonlyArray<RedisArg>): void {
  const o = conn.options;
  conn.onSessionChange?.(id);
  switch (id) {
    case 'select':
      o.db = Number(argv[1]);
      return;
    case 'client|setname':
      o.clientName = String(argv[2]);
      return;
    case 'readonly':
      o.readonly = true;
      return;
    case 'readwrite':
      o.readonly = false;
      return;
    case 'client|tracking':
      o.tracking = word(argv[2]) === 'ON' ? argv.slice(3).map(String) : undefined;
      return;
    case 'reset':
      // RESET leaves the connection as a new one is: db 0, no name, RESP2, read-write, no tracking.
      // It goes back to the default user too; a reconnect authenticates as the options say.
      o.db = 0;
      o.clientName = undefined;
      o.readonly = false;
      o.tracking = undefined;
      o.protocol = 2;
      conn.protocol = 2;
      return;
    case 'auth':
      // The caller's own login replaces a credentials provider for good on this connection.
      o.credentials = undefined;
      if (argv.length === 2) {
        o.username = undefined;
        o.password = String(argv[1]);
      } else {
        o.username = String(argv[1]);
        o.password = String(argv[2]);
      }
      return;
    case 'hello': {
      const version = argv.length > 1 ? Number(argv[1]) : NaN;
      if (version === 2 || version === 3) {
        o.protocol = version;
        conn.protocol = version;
      }
      for (let i = 2; i < argv.length; i++) {
        const w = word(argv[i]);
        if (w === 'AUTH' && i + 2 < argv.length) {
          o.credentials = undefined;
          o.username = String(argv[i + 1]);
          o.password = String(argv[i + 2]);
          i += 2;
        } else if (w === 'SETNAME' && i + 1 < argv.length) {
          o.clientName = String(argv[i + 1]);
          i += 1;
        }
      }
      return;
    }
  }
}

/**
 * Commands that would break a connection many callers share: MULTI would queue everyone's commands,
 * WATCH would tie everyone's EXEC to keys they never watched, CLIENT REPLY OFF/SKIP would shift every
 * later reply to the wrong caller. The message says where each belongs.
 */
export function sharedConnectionMisuse(argv: ReadonlyArray<RedisArg>): string | null {
  const name = word(argv[0]);
  switch (name) {
    case 'MULTI':
    case 'EXEC':
    case 'DISCARD':
      return `${name} on the shared connection would take in other callers' commands: use multi() or transaction(), or isolated() for a connection of your own`;
    case 'WATCH':
    case 'UNWATCH':
      return `${name} on the shared connection would apply to every caller: use transaction(fn, { watch }) or isolated()`;
    case 'CLIENT':
      if (word(argv[1]) === 'REPLY') return 'CLIENT REPLY on the shared connection would give later replies to the wrong callers: use isolated()';
      return null;
    default:
      return null;
  }
}
