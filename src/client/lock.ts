import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DataError, LockError, LockNotOwnedError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { RedisKey } from '../commands/command.js';
import { checkKey } from '../commands/registry.js';
import { Script, type ScriptHost } from './script.js';

/** Settings of `lock(name)`: how long the lock lives, how acquiring waits and retries, and release errors. */
export interface LockOptions {
  /**
   * How long the lock lives (ms) unless extended: if its owner dies, it frees itself after this.
   * Default: no limit (held until released).
   */
  timeout?: number;
  /** The wait between two attempts while blocked (ms). Default 100. */
  sleep?: number;
  /** Wait while someone else holds the lock (true), or give up at once. Default true. */
  blocking?: boolean;
  /** The longest wait for the lock (ms). Default: no limit. */
  blockingTimeout?: number;
  /**
   * `await using` disposal throws LockNotOwnedError when the lock expired before it was released
   * (the critical section may have overlapped someone else's). false: disposal stays quiet. Default true.
   */
  raiseOnReleaseError?: boolean;
}

/** Per-call settings of `Lock.acquire()`: whether and how long to wait, and the token to store. */
export interface AcquireOptions {
  blocking?: boolean;
  blockingTimeout?: number;
  /** The value stored in the lock key; default 16 random bytes, hex. */
  token?: string;
}

/** What a lock needs from its client. */
export interface LockHost extends ScriptHost {
  call(name: string, ...args: RedisArg[]): Promise<RespValue>;
}

// Each script checks the token and acts in one step on the server: a GET then a DEL from the client
// could delete a lock that expired in between and was taken by someone else.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

const EXTEND = `if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then
  return -1
end
local ms = tonumber(ARGV[2])
if ARGV[3] == '0' then
  ms = ms + ttl
end
redis.call('pexpire', KEYS[1], ms)
return 1`;

const REACQUIRE = `if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

interface LockScripts {
  release: Script<number>;
  extend: Script<number>;
  reacquire: Script<number>;
}

const scriptsByHost = new WeakMap<object, LockScripts>();

function scriptsFor(host: LockHost): LockScripts {
  let s = scriptsByHost.get(host);
  if (s === undefined) {
    const opts = { transform: (v: RespValue) => Number(v) };
    s = { release: new Script(host, RELEASE, opts), extend: new Script(host, EXTEND, opts), reacquire: new Script(host, REACQUIRE, opts) };
    scriptsByHost.set(host, s);
  }
  return s;
}

function checkMs(what: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new DataError(`lock: ${what} must be an integer >= ${min} (ms)`);
}

/**
 * A distributed lock in one key (redis-py's Lock): SET NX with a random token, and Lua scripts that
 * act only when the key still holds that token. Not a fence: a holder that outlives `timeout`
 * loses the lock without knowing until release() or extend() says LockNotOwnedError.
 *
 *   await using lock = await client.lock('jobs:nightly', { timeout: 10_000 }).acquire();
 */
export class Lock {
  readonly name: RedisKey;
  readonly timeout: number | undefined;
  readonly sleep: number;
  readonly blocking: boolean;
  readonly blockingTimeout: number | undefined;
  readonly raiseOnReleaseError: boolean;
  private readonly host: LockHost;
  /** Our token while we believe we hold the lock. */
  private token: string | null = null;

  /** @internal Made by `client.lock()`. */
  constructor(host: LockHost, name: RedisKey, options: LockOptions = {}) {
    checkKey('lock', 'name', name);
    if (options.timeout !== undefined) checkMs('timeout', options.timeout, 1);
    if (options.sleep !== undefined) checkMs('sleep', options.sleep, 0);
    if (options.blockingTimeout !== undefined) checkMs('blockingTimeout', options.blockingTimeout, 0);
    this.host = host;
    this.name = name;
    this.timeout = options.timeout;
    this.sleep = options.sleep ?? 100;
    this.blocking = options.blocking ?? true;
    this.blockingTimeout = options.blockingTimeout;
    this.raiseOnReleaseError = options.raiseOnReleaseError ?? true;
  }

  /** Takes the lock, waiting as the options say; rejects with LockError when it could not. */
  async acquire(options?: AcquireOptions): Promise<this> {
    if (!(await this.tryAcquire(options))) throw new LockError('could not acquire the lock: someone else holds it');
    return this;
  }

  /** Takes the lock, waiting as the options say; resolves whether it got it. */
  async tryAcquire(options: AcquireOptions = {}): Promise<boolean> {
    if (this.token !== null) throw new LockError('this Lock already holds the lock; release() it first or use another Lock object');
    const blocking = options.blocking ?? this.blocking;
    const blockingTimeout = options.blockingTimeout ?? this.blockingTimeout;
    if (blockingTimeout !== undefined) checkMs('blockingTimeout', blockingTimeout, 0);
    const token = options.token ?? randomBytes(16).toString('hex');
    if (typeof token !== 'string' || token === '') throw new DataError('lock: token must be a non-empty string');
    const stopAt = blockingTimeout === undefined ? Infinity : performance.now() + blockingTimeout;
    for (;;) {
      const argv: RedisArg[] = [this.name, token, 'NX'];
      if (this.timeout !== undefined) argv.push('PX', this.timeout);
      if ((await this.host.call('SET', ...argv)) !== null) {
        this.token = token;
        return true;
      }
      if (!blocking) return false;
      const left = stopAt - performance.now();
      if (left <= 0) return false;
      await delay(Math.min(this.sleep, left));
    }
  }

  /** Frees the lock. LockNotOwnedError when it expired and may be someone else's by now. */
  async release(): Promise<void> {
    const token = this.takeToken('release');
    const r = await scriptsFor(this.host).release.run([this.name], [token]);
    if (r !== 1) throw new LockNotOwnedError('cannot release a lock that is no longer owned: it expired');
  }

  /**
   * Adds `ms` to the time the lock has left, or with `replaceTtl` sets it to `ms`.
   * LockNotOwnedError when it is no longer ours.
   */
  async extend(ms: number, options: { replaceTtl?: boolean } = {}): Promise<void> {
    checkMs('extend: ms', ms, 1);
    const token = this.ownToken('extend');
    if (this.timeout === undefined) throw new LockError('cannot extend a lock with no timeout');
    const r = await scriptsFor(this.host).extend.run([this.name], [token, ms, options.replaceTtl ? '1' : '0']);
    if (r === -1) throw new LockError('cannot extend a lock with no time to live');
    if (r !== 1) throw new LockNotOwnedError('cannot extend a lock that is no longer owned: it expired');
  }

  /** Resets the time the lock has left to `timeout`. LockNotOwnedError when it is no longer ours. */
  async reacquire(): Promise<void> {
    const token = this.ownToken('reacquire');
    if (this.timeout === undefined) throw new LockError('cannot reacquire a lock with no timeout');
    const r = await scriptsFor(this.host).reacquire.run([this.name], [token, this.timeout]);
    if (r !== 1) throw new LockNotOwnedError('cannot reacquire a lock that is no longer owned: it expired');
  }

  /** Whether anyone holds the lock. */
  async locked(): Promise<boolean> {
    return (await this.host.call('EXISTS', this.name)) === 1;
  }

  /** Whether the lock is held with this object's token. */
  async owned(): Promise<boolean> {
    if (this.token === null) return false;
    const v = await this.host.call('GET', this.name);
    return v !== null && String(v) === this.token;
  }

  /** `await using`: releases the lock if this object holds it. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.token === null) return;
    try {
      await this.release();
    } catch (e) {
      if (!(e instanceof LockNotOwnedError) || this.raiseOnReleaseError) throw e;
    }
  }

  private ownToken(what: string): string {
    if (this.token === null) throw new LockError(`cannot ${what} a lock that is not held`);
    return this.token;
  }

  /** The token, forgotten at once: a failed release leaves nothing this object could still free. */
  private takeToken(what: string): string {
    const token = this.ownToken(what);
    this.token = null;
    return token;
  }
}
