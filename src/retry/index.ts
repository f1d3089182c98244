export {
  NoBackoff,
  ConstantBackoff,
  ExponentialBackoff,
  FullJitterBackoff,
  EqualJitterBackoff,
  DecorrelatedJitterBackoff,
  ExponentialWithJitterBackoff,
  defaultBackoff,
  DEFAULT_BASE,
  DEFAULT_CAP,
} from './backoff.js';
export type { Backoff, ExponentialOptions, RandomSource } from './backoff.js';
export { Retry, noRetry } from './retry.js';
export type { ErrorClass, FailureHook } from './retry.js';
