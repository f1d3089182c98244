import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface SortedSetCommands<C> {}

export const sortedSetMethods: Record<string, MethodDef> = {};
