import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface StreamCommands<C> {}

export const streamMethods: Record<string, MethodDef> = {};
