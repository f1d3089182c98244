import { DataError } from '../errors.js';
import { ConnectionPool, type ConnectionPoolOptions } from './pool.js';

/** Settings of a BlockingConnectionPool: the pool's own, plus how long a caller waits for a connection. */
export interface BlockingPoolOptions extends ConnectionPoolOptions {
  /**
   * How long `acquire()` waits for a connection when all are lent out (ms), before rejecting with
   * PoolTimeoutError; `null` waits forever. Default 20 000 (redis-py's 20 s).
   */
  timeout?: number | null;
}

const DEFAULT_TIMEOUT = 20_000;

/**
 * A pool that, with every connection lent out, makes callers wait (first come, first served) instead of
 * failing: at most `timeout` ms, then PoolTimeoutError. Everything else is ConnectionPool's.
 */
export class BlockingConnectionPool extends ConnectionPool {
  readonly timeout: number | null;

  constructor(options: BlockingPoolOptions = {}) {
    super(options);
    const timeout = options.timeout === undefined ? DEFAULT_TIMEOUT : options.timeout;
    if (timeout !== null && (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout))) {
      throw new DataError('pool: timeout must be a number >= 0, or null to wait forever');
    }
    this.timeout = timeout;
    this.waitForRelease = true;
    this.waitTimeout = timeout;
  }

  static override fromUrl(url: string, overrides?: BlockingPoolOptions): BlockingConnectionPool {
    return new BlockingConnectionPool({ ...overrides, url });
  }
}
