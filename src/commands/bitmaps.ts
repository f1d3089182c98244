import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface BitmapCommands<C> {}

export const bitmapMethods: Record<string, MethodDef> = {};
