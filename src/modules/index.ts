import type { MethodDef } from '../commands/command.js';
import { jsonMethods, type JsonCommands } from './json.js';
import { bloomMethods, type BloomCommands } from './bloom.js';
import { vectorSetMethods, type VectorSetCommands } from './vectorset.js';
import { searchMethods, type SearchCommands } from './search.js';
import { timeSeriesMethods, type TimeSeriesCommands } from './timeseries.js';

/** The module command groups (RedisJSON, RediSearch, RedisTimeSeries, RedisBloom, vector sets). */
export interface ModuleCommands<C> extends JsonCommands<C>, TimeSeriesCommands<C>, BloomCommands<C>, VectorSetCommands<C>, SearchCommands<C> {}

export const moduleMethods: Record<string, MethodDef> = {
  ...jsonMethods,
  ...timeSeriesMethods,
  ...bloomMethods,
  ...vectorSetMethods,
  ...searchMethods,
};
