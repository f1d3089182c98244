import { Flag, type Result } from './command.js';
import { command, method } from './registry.js';
import { parseInfo } from './transforms.js';

const A = Flag.ADMIN;

/** INFO, parsed: `{ server: { redis_version: '7.0.15', … }, memory: {…} }`. */
export type InfoReply = Record<string, Record<string, string | number>>;

export interface ServerCommands<C> {
  /** The server's INFO, parsed into sections. */
  info(...sections: string[]): Result<C, InfoReply>;
  dbsize(): Result<C, number>;
  flushdb(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
  flushall(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
}

const INFO = command('info', A);
const DBSIZE = command('dbsize', Flag.READONLY);
const FLUSHDB = command('flushdb', Flag.WRITE);
const FLUSHALL = command('flushall', Flag.WRITE);

export const serverMethods = {
  info: method(INFO, (...sections: string[]) => ['INFO', ...sections], parseInfo),
  dbsize: method(DBSIZE, () => ['DBSIZE']),
  flushdb: method(FLUSHDB, (mode?: 'ASYNC' | 'SYNC') => (mode === undefined ? ['FLUSHDB'] : ['FLUSHDB', mode])),
  flushall: method(FLUSHALL, (mode?: 'ASYNC' | 'SYNC') => (mode === undefined ? ['FLUSHALL'] : ['FLUSHALL', mode])),
};
