import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface PubSubCommands<C> {}

export const pubSubMethods: Record<string, MethodDef> = {};
