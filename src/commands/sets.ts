import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface SetCommands<C> {}

export const setMethods: Record<string, MethodDef> = {};
