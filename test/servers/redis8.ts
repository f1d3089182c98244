// Redis 8 with the module families (RedisJSON, RediSearch, RedisBloom, RedisTimeSeries; vector sets are
// built in), as `.ci/install-servers.sh` lays it out from ../shared/redis8 in a cache dir. The third
// server kind: module suites and the core commands newer than Redis 7.0 run against it.

import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { confLine } from './config.js';
import { INSTALL_HINT } from './process.js';

/** Where install-servers.sh put Redis 8 (REDWIRE_REDIS8_DIR, default ~/.cache/redwire/redis8). */
export function redis8Dir(): string {
  return process.env.REDWIRE_REDIS8_DIR ?? path.join(os.homedir(), '.cache', 'redwire', 'redis8');
}

const MODULES = ['rejson.so', 'redisearch.so', 'redisbloom.so', 'redistimeseries.so'];

function modulesDir(): string {
  return path.join(redis8Dir(), 'modules', 'modules-8.0');
}

function mustExist(file: string, mode: number): string {
  try {
    accessSync(file, mode);
    return file;
  } catch {
    throw new Error(`test servers: Redis 8 is not installed (${file} is missing); ${INSTALL_HINT}`);
  }
}

/** The redis-server wrapper of the Redis 8 install; throws with the install hint when it is missing. */
export function redis8Binary(): string {
  for (const m of MODULES) mustExist(path.join(modulesDir(), m), constants.R_OK);
  return mustExist(path.join(redis8Dir(), 'server', 'redis-server'), constants.X_OK);
}

/** Config lines that load the four modules. */
export function redis8ConfigLines(): string[] {
  return MODULES.map((m) => confLine('loadmodule', path.join(modulesDir(), m)));
}
