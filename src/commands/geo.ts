import type { MethodDef } from './command.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface GeoCommands<C> {}

export const geoMethods: Record<string, MethodDef> = {};
