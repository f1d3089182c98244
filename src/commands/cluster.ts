import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface ClusterCommands<C> {}

export const clusterMethods: Record<string, MethodDef> = {};
