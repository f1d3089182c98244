import type { ConnectionCommands } from './connection.js';
import { connectionMethods } from './connection.js';
import type { GenericCommands } from './generic.js';
import { genericMethods } from './generic.js';
import type { HashCommands } from './hashes.js';
import { hashMethods } from './hashes.js';
import type { ListCommands } from './lists.js';
import { listMethods } from './lists.js';
import type { ServerCommands } from './server.js';
import { serverMethods } from './server.js';
import type { StringCommands } from './strings.js';
import { stringMethods } from './strings.js';
import type { MethodDef } from './command.js';

/** Every core command method, generic in the calling context (client, pipeline…). */
export interface CoreCommands<C>
  extends StringCommands<C>,
    GenericCommands<C>,
    HashCommands<C>,
    ListCommands<C>,
    ConnectionCommands<C>,
    ServerCommands<C> {}

/** The method table: method name -> definition. */
export const coreMethods: Record<string, MethodDef> = {
  ...stringMethods,
  ...genericMethods,
  ...hashMethods,
  ...listMethods,
  ...connectionMethods,
  ...serverMethods,
};

export type { SetOptions } from './strings.js';
export type { ExpireOptions } from './generic.js';
export type { ClientRecord, ClientListOptions } from './connection.js';
export type { InfoReply } from './server.js';
