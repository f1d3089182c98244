import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type Result, type Str } from './command.js';
import { checkInteger, checkKey, checkValue, command, method } from './registry.js';
import { parseClientLine, parseClientList } from './transforms.js';

const C = Flag.CONNSTATE;

/** A client as CLIENT LIST / CLIENT INFO describe it: id, addr, name, db, cmd… (numbers as numbers). */
export type ClientRecord = Record<string, string | number>;

export interface ClientListOptions {
  type?: 'normal' | 'master' | 'replica' | 'pubsub';
  id?: number[];
}

export interface ConnectionCommands<C> {
  ping(message?: string | Buffer): Result<C, string>;
  echo(message: string | Buffer | number): Result<C, Str<C>>;
  /** Switches the database of this client's connection (and of its reconnects). */
  select(db: number): Result<C, 'OK'>;
  clientSetname(name: string): Result<C, 'OK'>;
  clientGetname(): Result<C, string | null>;
  clientId(): Result<C, number>;
  clientInfo(): Result<C, ClientRecord>;
  clientList(options?: ClientListOptions): Result<C, ClientRecord[]>;
}

const PING = command('ping', 0);
const ECHO = command('echo', 0);
const SELECT = command('select', C);
const CLIENT_SETNAME = command('client|setname', C);
const CLIENT_GETNAME = command('client|getname', 0);
const CLIENT_ID = command('client|id', 0);
const CLIENT_INFO = command('client|info', 0);
const CLIENT_LIST = command('client|list', Flag.ADMIN);

export const connectionMethods = {
  ping: method(PING, (message?: string | Buffer) => {
    if (message === undefined) return ['PING'];
    checkKey('PING', 'message', message);
    return ['PING', message];
  }, (v: unknown) => (Buffer.isBuffer(v) ? v.toString() : v)),
  echo: method(ECHO, (message: string | Buffer | number) => {
    checkValue('ECHO', 'message', message);
    return ['ECHO', message];
  }),
  select: method(SELECT, (db: number) => {
    checkInteger('SELECT', 'db', db);
    return ['SELECT', db];
  }),
  clientSetname: method(CLIENT_SETNAME, (name: string) => {
    checkKey('CLIENT SETNAME', 'name', name);
    return ['CLIENT', 'SETNAME', name];
  }),
  clientGetname: method(CLIENT_GETNAME, () => ['CLIENT', 'GETNAME'], (v: unknown) => (v === null ? null : String(v))),
  clientId: method(CLIENT_ID, () => ['CLIENT', 'ID']),
  clientInfo: method(CLIENT_INFO, () => ['CLIENT', 'INFO'], (v: unknown) => parseClientLine(String(v))),
  clientList: method(CLIENT_LIST, (o?: ClientListOptions) => {
    const argv: RedisArg[] = ['CLIENT', 'LIST'];
    if (o?.type !== undefined) argv.push('TYPE', o.type);
    if (o?.id !== undefined && o.id.length > 0) {
      argv.push('ID');
      for (const id of o.id) {
        checkInteger('CLIENT LIST', 'id', id);
        argv.push(id);
      }
    }
    return argv;
  }, parseClientList),
};
