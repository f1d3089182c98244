import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface TransactionCommands<C> {}

export const transactionMethods: Record<string, MethodDef> = {};
