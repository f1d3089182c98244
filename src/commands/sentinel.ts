import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface SentinelCommands<C> {}

export const sentinelMethods: Record<string, MethodDef> = {};
