import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface HyperLogLogCommands<C> {}

export const hyperLogLogMethods: Record<string, MethodDef> = {};
