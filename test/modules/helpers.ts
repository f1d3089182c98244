import { commandSuite, type CommandTestContext } from '../commands/helpers.js';

/** What a module suite's body gets: the command suite's context on the Redis 8 server with the modules. */
export type ModuleTestContext = CommandTestContext;

/** A suite on one Redis 8 server with the modules, with a RESP2 and a RESP3 client on it. */
export function moduleSuite(name: string, body: (t: ModuleTestContext) => void): void {
  commandSuite(name, body, {}, ['redis8']);
}
