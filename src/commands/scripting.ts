import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface ScriptingCommands<C> {}

export const scriptingMethods: Record<string, MethodDef> = {};
