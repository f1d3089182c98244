import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ConnectionError, DataError, MaxConnectionsError, RedisError, ResponseError, TimeoutError } from '../src/errors.js';
import {
  ConstantBackoff,
  DecorrelatedJitterBackoff,
  DEFAULT_BASE,
  DEFAULT_CAP,
  defaultBackoff,
  EqualJitterBackoff,
  ExponentialBackoff,
  ExponentialWithJitterBackoff,
  FullJitterBackoff,
  NoBackoff,
  noRetry,
  Retry,
  type Backoff,
} from '../src/retry/index.js';

const fixed = (value: number) => () => value;
/** Cycles through values, so a test can script each random draw. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('backoff formulas', () => {
  it('NoBackoff is always 0', () => {
    const b = new NoBackoff();
    for (const f of [0, 1, 5, 10_000]) assert.equal(b.compute(f), 0);
  });

  it('ConstantBackoff returns its value whatever the failure count', () => {
    const b = new ConstantBackoff(250);
    for (const f of [0, 1, 7, 2000]) assert.equal(b.compute(f), 250);
  });

  it('defaults are redis-py\'s, in ms', () => {
    assert.equal(DEFAULT_BASE, 8);
    assert.equal(DEFAULT_CAP, 512);
    const b = new ExponentialBackoff();
    assert.equal(b.base, 8);
    assert.equal(b.cap, 512);
    assert.ok(defaultBackoff() instanceof EqualJitterBackoff);
  });

  it('ExponentialBackoff = min(cap, base·2^failures)', () => {
    const b = new ExponentialBackoff({ base: 10, cap: 1000 });
    const cases: Array<[number, number]> = [[0, 10], [1, 20], [2, 40], [3, 80], [6, 640], [7, 1000], [50, 1000]];
    for (const [f, want] of cases) assert.equal(b.compute(f), want, `failures=${f}`);
  });

  const jitterCases: Array<{ name: string; make: (random: () => number) => Backoff; want: (r: number, f: number) => number }> = [
    {
      name: 'FullJitterBackoff = uniform(0, min(cap, base·2^f))',
      make: (random) => new FullJitterBackoff({ base: 10, cap: 1000, random }),
      want: (r, f) => r * Math.min(1000, 10 * 2 ** f),
    },
    {
      name: 'EqualJitterBackoff = t/2 + uniform(0, t/2)',
      make: (random) => new EqualJitterBackoff({ base: 10, cap: 1000, random }),
      want: (r, f) => Math.min(1000, 10 * 2 ** f) / 2 + (r * Math.min(1000, 10 * 2 ** f)) / 2,
    },
    {
      name: 'ExponentialWithJitterBackoff = min(cap, random·base·2^f)',
      make: (random) => new ExponentialWithJitterBackoff({ base: 10, cap: 1000, random }),
      want: (r, f) => Math.min(1000, r * 10 * 2 ** f),
    },
  ];
  for (const { name, make, want } of jitterCases) {
    it(name, () => {
      for (const r of [0, 0.5, 1]) {
        const b = make(fixed(r));
        for (const f of [0, 1, 3, 6, 7, 10]) assert.equal(b.compute(f), want(r, f), `random=${r} failures=${f}`);
      }
    });
  }

  it('spot values of the jitter formulas', () => {
    assert.equal(new FullJitterBackoff({ base: 10, cap: 1000, random: fixed(0.5) }).compute(2), 20);
    assert.equal(new EqualJitterBackoff({ base: 10, cap: 1000, random: fixed(0) }).compute(2), 20);
    assert.equal(new EqualJitterBackoff({ base: 10, cap: 1000, random: fixed(1) }).compute(2), 40);
    assert.equal(new EqualJitterBackoff({ base: 10, cap: 1000, random: fixed(0.5) }).compute(10), 750);
    assert.equal(new ExponentialWithJitterBackoff({ base: 10, cap: 1000, random: fixed(0.5) }).compute(3), 40);
    assert.equal(new ExponentialWithJitterBackoff({ base: 10, cap: 1000, random: fixed(0.5) }).compute(8), 1000);
  });

  it('the cap holds at huge failure counts (2^failures overflows to Infinity)', () => {
    const huge = [1023, 1024, 5000, Number.MAX_SAFE_INTEGER, Infinity];
    for (const f of huge) {
      assert.equal(new ExponentialBackoff({ base: 8, cap: 512 }).compute(f), 512);
      for (const r of [0, 0.5, 1]) {
        const full = new FullJitterBackoff({ random: fixed(r) }).compute(f);
        const equal = new EqualJitterBackoff({ random: fixed(r) }).compute(f);
        const expJ = new ExponentialWithJitterBackoff({ random: fixed(r) }).compute(f);
        for (const v of [full, equal, expJ]) {
          assert.ok(Number.isFinite(v) && v >= 0 && v <= 512, `failures=${f} random=${r} gave ${v}`);
        }
        assert.equal(full, 512 * r);
        assert.equal(equal, 256 + 256 * r);
        assert.equal(expJ, r === 0 ? 0 : 512);
      }
    }
  });

  it('a zero base gives zero delays, never NaN', () => {
    for (const f of [0, 3, 5000]) {
      assert.equal(new ExponentialBackoff({ base: 0, cap: 100 }).compute(f), 0);
      assert.equal(new ExponentialWithJitterBackoff({ base: 0, cap: 100, random: fixed(0) }).compute(f), 0);
    }
  });

  it('a negative failure count is treated as 0', () => {
    assert.equal(new ExponentialBackoff({ base: 10, cap: 1000 }).compute(-3), 10);
  });

  it('rejects negative or non-finite cap, base and constant', () => {
    assert.throws(() => new ExponentialBackoff({ cap: -1 }), DataError);
    assert.throws(() => new FullJitterBackoff({ base: NaN }), DataError);
    assert.throws(() => new ConstantBackoff(Infinity), DataError);
  });

  it('with Math.random, jittered delays stay inside their window', () => {
    const full = new FullJitterBackoff({ base: 10, cap: 1000 });
    const equal = new EqualJitterBackoff({ base: 10, cap: 1000 });
    const decor = new DecorrelatedJitterBackoff({ base: 10, cap: 1000 });
    for (let f = 0; f < 200; f++) {
      const t = Math.min(1000, 10 * 2 ** f);
      const a = full.compute(f);
      const b = equal.compute(f);
      const c = decor.compute(f);
      assert.ok(a >= 0 && a <= t);
      assert.ok(b >= t / 2 && b <= t);
      assert.ok(c >= 10 && c <= 1000);
    }
  });
});

describe('DecorrelatedJitterBackoff', () => {
  it('grows from the previous delay: min(cap, uniform(base, max(base, previous·3)))', () => {
    const b = new DecorrelatedJitterBackoff({ base: 10, cap: 1000, random: fixed(1) });
    assert.equal(b.previousBackoff, 0);
    // previous 0 → window [10, 10]
    assert.equal(b.compute(1), 10);
    assert.equal(b.previousBackoff, 10);
    // the failure count is ignored; only the previous delay matters
    assert.equal(b.compute(99), 30);
    assert.equal(b.compute(0), 90);
    assert.equal(b.compute(1), 270);
    assert.equal(b.compute(1), 810);
    assert.equal(b.compute(1), 1000); // capped, and the stored value is the capped one
    assert.equal(b.previousBackoff, 1000);
    assert.equal(b.compute(1), 1000);
  });

  it('random 0 stays at base, random 0.5 is the window midpoint', () => {
    const low = new DecorrelatedJitterBackoff({ base: 10, cap: 1000, random: fixed(0) });
    for (let i = 0; i < 5; i++) assert.equal(low.compute(i), 10);
    const mid = new DecorrelatedJitterBackoff({ base: 10, cap: 1000, random: fixed(0.5) });
    assert.equal(mid.compute(1), 10); // [10, 10]
    assert.equal(mid.compute(1), 20); // [10, 30]
    assert.equal(mid.compute(1), 35); // [10, 60]
  });

  it('reset() zeroes the previous delay', () => {
    const b = new DecorrelatedJitterBackoff({ base: 10, cap: 1000, random: sequence(1) });
    b.compute(1);
    b.compute(1);
    assert.equal(b.previousBackoff, 30);
    b.reset();
    assert.equal(b.previousBackoff, 0);
    assert.equal(b.compute(1), 10);
  });

  it('Retry.callWithRetry resets it at the start of each call', async () => {
    const backoff = new DecorrelatedJitterBackoff({ base: 0, cap: 0 });
    let resets = 0;
    const original = backoff.reset.bind(backoff);
    backoff.reset = () => {
      resets++;
      original();
    };
    const retry = new Retry(backoff, 0);
    await retry.callWithRetry(async () => 1);
    await retry.callWithRetry(async () => 2);
    assert.equal(resets, 2);
  });
});

describe('Retry', () => {
  /** A function that fails with the given errors in turn, then returns 'ok'. */
  function failing(...errors: unknown[]) {
    // Own counter: a mock records a call only after its implementation returns.
    let calls = 0;
    return mock.fn(async () => {
      calls++;
      if (calls <= errors.length) throw errors[calls - 1];
      return 'ok';
    });
  }

  it('retries=3 makes up to 4 calls, then throws the last error', async () => {
    const errors = [0, 1, 2, 3, 4].map((i) => new ConnectionError(`broken ${i}`));
    const fn = failing(...errors);
    const retry = new Retry(new NoBackoff(), 3);
    await assert.rejects(retry.callWithRetry(fn), (e) => e === errors[3]);
    assert.equal(fn.mock.callCount(), 4);
  });

  it('returns the result once a retry succeeds', async () => {
    const fn = failing(new TimeoutError('slow'), new ConnectionError('broken'));
    const retry = new Retry(new NoBackoff(), 3);
    assert.equal(await retry.callWithRetry(fn), 'ok');
    assert.equal(fn.mock.callCount(), 3);
  });

  it('retries=0 calls once; a plain (sync) function is accepted', async () => {
    let calls = 0;
    const retry = new Retry(new NoBackoff(), 0);
    await assert.rejects(
      retry.callWithRetry(() => {
        calls++;
        throw new ConnectionError('x');
      }),
      ConnectionError,
    );
    assert.equal(calls, 1);
    assert.equal(await retry.callWithRetry(() => 5 as unknown as Promise<number>), 5);
  });

  it('does not retry unsupported errors, and does not report them to onFailure', async () => {
    const retry = new Retry(new NoBackoff(), 5);
    for (const error of [new ResponseError('ERR nope'), new TypeError('bug'), 'a string']) {
      const fn = failing(error);
      const onFailure = mock.fn();
      await assert.rejects(retry.callWithRetry(fn, onFailure), (e) => e === error);
      assert.equal(fn.mock.callCount(), 1);
      assert.equal(onFailure.mock.callCount(), 0);
    }
  });

  it('subclasses of a supported error are retried', async () => {
    const fn = failing(new MaxConnectionsError('full'));
    assert.equal(await new Retry(new NoBackoff(), 1).callWithRetry(fn), 'ok');
  });

  it('calls onFailure with each error and the failure count, including the last one', async () => {
    const errors = [new ConnectionError('a'), new TimeoutError('b'), new ConnectionError('c')];
    const onFailure = mock.fn<(error: unknown, failures: number) => void>();
    await assert.rejects(new Retry(new NoBackoff(), 2).callWithRetry(failing(...errors), onFailure));
    assert.deepEqual(
      onFailure.mock.calls.map((c) => c.arguments),
      [[errors[0], 1], [errors[1], 2], [errors[2], 3]],
    );
  });

  it('awaits an async onFailure before the next attempt', async () => {
    const log: string[] = [];
    const fn = async () => {
      log.push('call');
      if (log.length === 1) throw new ConnectionError('x');
      return 1;
    };
    await new Retry(new NoBackoff(), 1).callWithRetry(fn, async () => {
      await new Promise((r) => setImmediate(r));
      log.push('onFailure done');
    });
    assert.deepEqual(log, ['call', 'onFailure done', 'call']);
  });

  it('retries=-1 keeps going until success', async () => {
    const errors = Array.from({ length: 250 }, () => new ConnectionError('down'));
    const fn = failing(...errors);
    const retry = new Retry(new NoBackoff(), -1);
    assert.equal(await retry.callWithRetry(fn), 'ok');
    assert.equal(fn.mock.callCount(), 251);
  });

  it('custom supportedErrors replace the defaults; updateSupportedErrors adds to them', async () => {
    class Custom extends RedisError {}
    const retry = new Retry(new NoBackoff(), 1, [Custom]);
    assert.equal(await retry.callWithRetry(failing(new Custom('c'))), 'ok');
    await assert.rejects(retry.callWithRetry(failing(new ConnectionError('x'))), ConnectionError);

    retry.updateSupportedErrors([ConnectionError, Custom]);
    assert.deepEqual(retry.supportedErrors, [Custom, ConnectionError]);
    assert.equal(await retry.callWithRetry(failing(new ConnectionError('x'))), 'ok');
    assert.equal(await retry.callWithRetry(failing(new Custom('c'))), 'ok');
  });

  it('shouldRetry: supported error and failures <= retries', () => {
    const retry = new Retry(new NoBackoff(), 2);
    assert.equal(retry.shouldRetry(new ConnectionError('x'), 1), true);
    assert.equal(retry.shouldRetry(new TimeoutError('x'), 2), true);
    assert.equal(retry.shouldRetry(new TimeoutError('x'), 3), false);
    assert.equal(retry.shouldRetry(new ResponseError('ERR x'), 1), false);
    assert.equal(new Retry(new NoBackoff(), -1).shouldRetry(new ConnectionError('x'), 1e9), true);
  });

  it('backoffFor delegates to the backoff', () => {
    const retry = new Retry(new ExponentialBackoff({ base: 5, cap: 100 }), 3);
    assert.deepEqual([1, 2, 3, 10].map((f) => retry.backoffFor(f)), [10, 20, 40, 100]);
  });

  it('retries getter, updateRetries and validation', () => {
    const retry = new Retry(new NoBackoff(), 3);
    assert.equal(retry.retries, 3);
    retry.updateRetries(-1);
    assert.equal(retry.retries, -1);
    assert.throws(() => retry.updateRetries(-2), DataError);
    assert.throws(() => new Retry(new NoBackoff(), 1.5), DataError);
  });

  it('Retry.none() and noRetry() never retry', async () => {
    for (const retry of [Retry.none(), noRetry()]) {
      assert.equal(retry.retries, 0);
      const fn = failing(new ConnectionError('x'));
      await assert.rejects(retry.callWithRetry(fn), ConnectionError);
      assert.equal(fn.mock.callCount(), 1);
    }
  });
});

describe('Retry waits for the backoff (mock timers)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  /** Lets pending promise callbacks run; setImmediate is not mocked. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('the next attempt starts only when the delay has passed', async () => {
    // Delays are base·2^failures: 20 ms after the first failure, 40 ms after the second.
    const retry = new Retry(new ExponentialBackoff({ base: 10, cap: 1000 }), 2);
    let calls = 0;
    const fn = mock.fn(async () => {
      if (++calls < 3) throw new ConnectionError('down');
      return 'ok';
    });
    let settled = false;
    const result = retry.callWithRetry(fn).finally(() => (settled = true));

    await settle();
    assert.equal(fn.mock.callCount(), 1);
    mock.timers.tick(19);
    await settle();
    assert.equal(fn.mock.callCount(), 1, 'must not retry before 20 ms');
    mock.timers.tick(1);
    await settle();
    assert.equal(fn.mock.callCount(), 2);

    mock.timers.tick(39);
    await settle();
    assert.equal(fn.mock.callCount(), 2, 'must not retry before another 40 ms');
    assert.equal(settled, false);
    mock.timers.tick(1);
    await settle();
    assert.equal(fn.mock.callCount(), 3);
    assert.equal(await result, 'ok');
  });

  it('no timer is needed when the delay is 0, and none after the last attempt', async () => {
    const retry = new Retry(new ConstantBackoff(0), 2);
    const fn = mock.fn(async () => {
      throw new ConnectionError('down');
    });
    await assert.rejects(retry.callWithRetry(fn), ConnectionError);
    assert.equal(fn.mock.callCount(), 3);

    const delayed = new Retry(new ConstantBackoff(50), 1);
    const fn2 = mock.fn(async () => {
      throw new TimeoutError('slow');
    });
    const outcome = delayed.callWithRetry(fn2);
    const check = assert.rejects(outcome, TimeoutError);
    await settle();
    mock.timers.tick(50);
    await settle();
    // Rejected after the second call without waiting another 50 ms.
    await check;
    assert.equal(fn2.mock.callCount(), 2);
  });
});
