/**
 * redis-py's Retry: run an operation, and when it fails with an error the policy names, wait for the
 * backoff and run it again, up to `retries` extra times.
 */

import { ConnectionError, DataError, TimeoutError } from '../errors.js';
import { NoBackoff, type Backoff } from './backoff.js';

/** Any error class usable with instanceof (abstract ones included). */
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Called after every failure that the policy retries on, including the last one before giving up. */
export type FailureHook = (error: unknown, failures: number) => void | Promise<void>;

const DEFAULT_SUPPORTED: readonly ErrorClass[] = [ConnectionError, TimeoutError];

/** Retries an operation that failed with a retryable error, waiting as its Backoff says, up to a number of retries. */
export class Retry {
  readonly backoff: Backoff;
  private _retries: number;
  private _supported: ErrorClass[];

  /**
   * @param retries extra attempts after the first call; -1 retries without limit.
   * @param supportedErrors only errors that are instances of these are retried.
   *
   * The backoff object may hold state (DecorrelatedJitterBackoff), so, as in redis-py, one Retry
   * should not drive several operations at the same time when such a backoff is used.
   */
  constructor(backoff: Backoff, retries: number, supportedErrors: readonly ErrorClass[] = DEFAULT_SUPPORTED) {
    this.backoff = backoff;
    this._retries = checkRetries(retries);
    this._supported = [...new Set(supportedErrors)];
  }

  /** A policy that never retries: the first failure is thrown. */
  static none(): Retry {
    return new Retry(new NoBackoff(), 0);
  }

  get retries(): number {
    return this._retries;
  }

  updateRetries(retries: number): void {
    this._retries = checkRetries(retries);
  }

  get supportedErrors(): readonly ErrorClass[] {
    return this._supported;
  }

  /** Adds to the retried error classes (a union, like redis-py: the defaults stay). */
  updateSupportedErrors(errors: readonly ErrorClass[]): void {
    this._supported = [...new Set([...this._supported, ...errors])];
  }

  isSupported(error: unknown): boolean {
    return this._supported.some((cls) => error instanceof cls);
  }

  /**
   * Whether an operation that has now failed `failures` times (counting this error) gets another
   * attempt. For callers that drive their own loop, e.g. a reconnect that cannot be one promise.
   */
  shouldRetry(error: unknown, failures: number): boolean {
    if (!this.isSupported(error)) return false;
    return this._retries < 0 || failures <= this._retries;
  }

  /** The wait, in ms, before the attempt that follows `failures` failures. */
  backoffFor(failures: number): number {
    return this.backoff.compute(failures);
  }

  async callWithRetry<T>(fn: () => Promise<T> | T, onFailure?: FailureHook): Promise<T> {
    this.backoff.reset();
    let failures = 0;
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        if (!this.isSupported(error)) throw error;
        failures += 1;
        // Told before giving up too, so the caller can e.g. disconnect the broken connection.
        if (onFailure !== undefined) await onFailure(error, failures);
        if (this._retries >= 0 && failures > this._retries) throw error;
        const delay = this.backoff.compute(failures);
        if (delay > 0) await sleep(delay);
      }
    }
  }
}

/** Same as Retry.none(). */
export function noRetry(): Retry {
  return Retry.none();
}

function sleep(ms: number): Promise<void> {
  // The global setTimeout (not timers/promises) so that node:test's mock timers control it.
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkRetries(retries: number): number {
  if (!Number.isInteger(retries) || retries < -1) {
    throw new DataError('retries must be an integer >= 0, or -1 for no limit');
  }
  return retries;
}
