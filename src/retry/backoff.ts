/**
 * Backoff strategies with redis-py's formulas (redis/backoff.py), in milliseconds instead of seconds.
 *
 * `failures` is the number of failed attempts so far: Retry passes 1 before the first retry, so the
 * first delay of an exponential backoff is base·2, as in redis-py.
 */

import { DataError } from '../errors.js';

/** Computes the wait before the next attempt. `reset()` is called when a new operation starts. */
export interface Backoff {
  compute(failures: number): number;
  reset(): void;
}

/** A source of uniformly distributed numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** Options shared by the exponential and jitter backoffs. */
export interface ExponentialOptions {
  /** Upper bound of any delay, in ms. Default 512 (redis-py's 0.512 s). */
  cap?: number;
  /** Delay unit that is doubled per failure, in ms. Default 8 (redis-py's 0.008 s). */
  base?: number;
  /** Injected so tests can make jittered delays deterministic. Default Math.random. */
  random?: RandomSource;
}

/** The longest wait (ms) the default exponential backoffs grow to. */
export const DEFAULT_CAP = 512;
/** The delay unit (ms) the default exponential backoffs double per failure. */
export const DEFAULT_BASE = 8;

/** Always retries at once. */
export class NoBackoff implements Backoff {
  compute(_failures: number): number {
    return 0;
  }
  reset(): void {}
}

/** The same delay before every retry. */
export class ConstantBackoff implements Backoff {
  readonly backoff: number;
  constructor(backoff: number) {
    this.backoff = checkDelay('backoff', backoff);
  }
  compute(_failures: number): number {
    return this.backoff;
  }
  reset(): void {}
}

/** Shared setup of the exponential family; not exported because it is not a strategy by itself. */
abstract class ExponentialBase implements Backoff {
  readonly cap: number;
  readonly base: number;
  protected readonly random: RandomSource;
  constructor(options: ExponentialOptions = {}) {
    this.cap = checkDelay('cap', options.cap ?? DEFAULT_CAP);
    this.base = checkDelay('base', options.base ?? DEFAULT_BASE);
    this.random = options.random ?? Math.random;
  }
  abstract compute(failures: number): number;
  reset(): void {}
  /** base·2^failures, never Infinity or NaN, so that min(cap, …) and random·… stay meaningful. */
  protected grow(failures: number): number {
    return exponential(this.base, failures);
  }
  /** min(cap, base·2^failures). */
  protected capped(failures: number): number {
    return Math.min(this.cap, this.grow(failures));
  }
  protected uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }
}

/** min(cap, base·2^failures). */
export class ExponentialBackoff extends ExponentialBase {
  compute(failures: number): number {
    return this.capped(failures);
  }
}

/** uniform(0, min(cap, base·2^failures)): spreads clients that failed together over the whole window. */
export class FullJitterBackoff extends ExponentialBase {
  compute(failures: number): number {
    return this.uniform(0, this.capped(failures));
  }
}

/** t/2 + uniform(0, t/2) with t = min(cap, base·2^failures): jitter, but never less than half of t. */
export class EqualJitterBackoff extends ExponentialBase {
  compute(failures: number): number {
    const half = this.capped(failures) / 2;
    return half + this.uniform(0, half);
  }
}

/**
 * Grows from the previous delay rather than from the failure count: uniform(base, previous·3),
 * capped. The previous delay is state, which is why Retry resets the backoff per operation.
 */
export class DecorrelatedJitterBackoff extends ExponentialBase {
  private previous = 0;
  compute(_failures: number): number {
    const high = Math.max(this.base, this.previous * 3);
    this.previous = Math.min(this.cap, this.uniform(this.base, high));
    return this.previous;
  }
  override reset(): void {
    this.previous = 0;
  }
  /** The last delay returned (0 after reset), exposed for inspection and tests. */
  get previousBackoff(): number {
    return this.previous;
  }
}

/** min(cap, random·base·2^failures): redis-py's default for command retries. */
export class ExponentialWithJitterBackoff extends ExponentialBase {
  compute(failures: number): number {
    return Math.min(this.cap, this.random() * this.grow(failures));
  }
}

/** redis-py's default_backoff(). */
export function defaultBackoff(): Backoff {
  return new EqualJitterBackoff();
}

function exponential(base: number, failures: number): number {
  // A negative or NaN count would shrink the delay below base; treat it as no failure yet.
  const n = Number.isFinite(failures) ? Math.max(0, failures) : failures > 0 ? failures : 0;
  if (base === 0) return 0; // avoids 0·Infinity = NaN
  const value = base * 2 ** n;
  // Past ~1024 failures 2^n is Infinity; MAX_VALUE keeps random·value finite and min(cap, …) = cap.
  return Number.isFinite(value) ? value : Number.MAX_VALUE;
}

function checkDelay(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DataError(`${name} must be a finite number of milliseconds >= 0`);
  }
  return value;
}
