/**
 * redwire/otel against real servers, with the OpenTelemetry SDK's in-memory span exporter and a
 * metric reader on the assertion side: the spans and attributes the database conventions ask for,
 * the parent a caller's span gives, the duration histogram and the pool counts.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, context, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  AskError,
  ConnectionError,
  ConnectionPool,
  MovedError,
  WrongTypeError,
  type SwitchEvent,
  keySlot,
  commandChannel,
  createClient,
  createCluster,
  createSentinel,
} from '../../src/index.js';
import { instrument, type Instrumentation } from '../../src/otel/index.js';
import { SERVER_KINDS, useCluster, useServer } from '../servers/index.js';
import { startSentinelGroup, type SentinelGroup } from '../servers/sentinel.js';

/** A reader the test collects from by hand: no timer, no export. */
class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);

interface Harness {
  exporter: InMemorySpanExporter;
  reader: TestReader;
  tracerProvider: BasicTracerProvider;
  otel: Instrumentation;
  spans(name?: string): ReadableSpan[];
  metric(name: string): Promise<MetricData | undefined>;
}

function harness(opts: { dbStatement?: boolean } = {}): Harness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const otel = instrument({ tracerProvider, meterProvider, ...opts });
  return {
    exporter,
    reader,
    tracerProvider,
    otel,
    spans: (name) => exporter.getFinishedSpans().filter((s) => name === undefined || s.name === name),
    async metric(name) {
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) if (m.descriptor.name === name) return m;
      return undefined;
    },
  };
}

/** The histogram data point whose attributes include `match`. */
function point(m: MetricData | undefined, match: Attributes): { count: number; sum: number } | undefined {
  assert.ok(m !== undefined, 'the metric exists');
  const h = m as HistogramMetricData;
  const p = h.dataPoints.find((d) => Object.entries(match).every(([k, v]) => d.attributes[k] === v));
  return p === undefined ? undefined : { count: p.value.count, sum: p.value.sum ?? 0 };
}

for (const kind of SERVER_KINDS) {
  describe(`redwire/otel on ${kind}`, () => {
    const server = useServer({ kind });
    let h: Harness;
    beforeEach(() => {
      h = harness();
    });
    afterEach(() => h.otel.disable());

    it('a GET, a failing command, a pipeline of 10 and a MULTI make the spans the conventions ask for, and the histogram counts them', async () => {
      const port = server().port;
      await using c = await createClient({ port, db: 3 }).connect();
      await c.set('otel:s', 'secret-value');
      h.exporter.reset();

      assert.equal(await c.get('otel:s'), 'secret-value');
      await assert.rejects(c.hset('otel:s', 'secret-field', 'secret-value'), WrongTypeError);
      const p = c.pipeline();
      for (let i = 0; i < 10; i++) p.get(`otel:p${i}`);
      assert.equal((await p.exec()).length, 10);
      const m = c.multi();
      m.set('otel:m', '1');
      m.incr('otel:m');
      assert.deepEqual(await m.exec(), ['OK', 2]);

      // An IP host is the peer itself: network.peer.* say so, as the Redis conventions recommend.
      const base = {
        'db.system.name': 'redis',
        'db.namespace': '3',
        'server.address': '127.0.0.1',
        'server.port': port,
        'network.peer.address': '127.0.0.1',
        'network.peer.port': port,
      };
      const [get] = h.spans('GET');
      assert.ok(get !== undefined, 'a GET span');
      assert.equal(get.kind, SpanKind.CLIENT);
      assert.deepEqual(get.attributes, { ...base, 'db.operation.name': 'GET' });
      assert.equal(get.status.code, SpanStatusCode.UNSET);
      assert.equal(get.instrumentationScope.name, 'redwire');

      const [hset] = h.spans('HSET');
      assert.ok(hset !== undefined, 'an HSET span');
      assert.deepEqual(hset.attributes, {
        ...base,
        'db.operation.name': 'HSET',
        'error.type': 'WrongTypeError',
        'db.response.status_code': 'WRONGTYPE',
      });
      assert.equal(hset.status.code, SpanStatusCode.ERROR);
      assert.match(hset.status.message ?? '', /WRONGTYPE/);

      // One span per batch, none per queued command: the pipeline's GETs share a name.
      const pipes = h.spans().filter((s) => s.name.startsWith('PIPELINE'));
      assert.equal(pipes.length, 1);
      assert.equal(pipes[0]!.name, 'PIPELINE GET');
      assert.deepEqual(pipes[0]!.attributes, { ...base, 'db.operation.name': 'PIPELINE GET', 'db.operation.batch.size': 10 });
      const multis = h.spans().filter((s) => s.name.startsWith('MULTI'));
      assert.equal(multis.length, 1);
      assert.deepEqual(multis[0]!.attributes, { ...base, 'db.operation.name': 'MULTI', 'db.operation.batch.size': 2 });
      assert.deepEqual(h.spans().map((s) => s.name), ['GET', 'HSET', 'PIPELINE GET', 'MULTI']);

      // No argument or reply anywhere, and no query text unless asked for.
      const everything = JSON.stringify(h.spans().map((s) => [s.name, s.attributes, s.status, s.events]));
      assert.ok(!everything.includes('secret') && !everything.includes('otel:'), everything);

      const duration = await h.metric('db.client.operation.duration');
      assert.equal(duration?.descriptor.unit, 's');
      assert.equal(point(duration, { 'db.operation.name': 'GET' })?.count, 1);
      assert.equal(point(duration, { 'db.operation.name': 'HSET', 'error.type': 'WrongTypeError' })?.count, 1);
      assert.equal(point(duration, { 'db.operation.name': 'PIPELINE GET', 'db.operation.batch.size': 10 })?.count, 1);
      assert.equal(point(duration, { 'db.operation.name': 'MULTI', 'server.port': port, 'db.namespace': '3' })?.count, 1);
      const sum = point(duration, { 'db.operation.name': 'GET' })!.sum;
      assert.ok(sum > 0 && sum < 5, `a GET took ${sum} s`);
    });

    it('keeps the caller’s span as the parent across awaits, and a connect is a span of its own', async () => {
      const tracer = h.tracerProvider.getTracer('test');
      const c = createClient({ port: server().port });
      try {
        await tracer.startActiveSpan('handler', async (parent) => {
          await c.set('otel:a', '1');
          await new Promise((r) => setTimeout(r, 5));
          await c.get('otel:a');
          parent.end();
        });
        // Outside the handler: a root span.
        await c.get('otel:a');
      } finally {
        await c.close();
      }
      const [handler] = h.spans('handler');
      assert.ok(handler !== undefined);
      const id = handler.spanContext().spanId;
      const [connect] = h.spans('CONNECT');
      assert.ok(connect !== undefined, 'a CONNECT span');
      assert.equal(connect.attributes['server.port'], server().port);
      assert.equal(connect.parentSpanContext?.spanId, id, 'the lazy connect happened inside the handler');
      const [set] = h.spans('SET');
      const gets = h.spans('GET');
      assert.equal(set?.parentSpanContext?.spanId, id);
      assert.equal(set?.spanContext().traceId, handler.spanContext().traceId);
      assert.equal(gets.length, 2);
      assert.equal(gets[0]!.parentSpanContext?.spanId, id);
      assert.equal(gets[1]!.parentSpanContext, undefined);
      const create = await h.metric('db.client.connection.create_time');
      assert.equal(point(create, { 'server.port': server().port })?.count, 1);
    });

    it('a connection that cannot be made ends its spans with the error class', async () => {
      const c = createClient({ port: 1, reconnect: false, connectTimeout: 1_000 });
      await assert.rejects(c.get('otel:x'), ConnectionError);
      c.disconnect();
      const [connect] = h.spans('CONNECT');
      assert.ok(connect !== undefined);
      assert.equal(connect.status.code, SpanStatusCode.ERROR);
      assert.equal(typeof connect.attributes['error.type'], 'string');
      assert.ok(connect.attributes['error.type'] !== '_OTHER');
      const [get] = h.spans('GET');
      assert.ok(get !== undefined);
      assert.equal(get.status.code, SpanStatusCode.ERROR);
      assert.equal(get.attributes['error.type'], 'ConnectionError');
    });

    it('a pipeline of one command is a span of that command, without a batch size', async () => {
      await using c = await createClient({ port: server().port }).connect();
      h.exporter.reset();
      assert.deepEqual(await c.pipeline().get('otel:one').exec(), [null]);
      assert.deepEqual(await c.pipeline().get('otel:one').set('otel:one', '1').exec(), [null, 'OK']);
      assert.deepEqual(
        h.spans().map((s) => [s.name, s.attributes['db.operation.name'], s.attributes['db.operation.batch.size']]),
        [
          ['GET', 'GET', undefined],
          ['PIPELINE', 'PIPELINE', 2],
        ],
      );
    });

    it('reports the db index the session has selected', async () => {
      await using c = await createClient({ port: server().port }).connect();
      await c.select(5);
      await c.get('otel:db');
      const gets = h.spans('GET');
      assert.equal(gets.at(-1)?.attributes['db.namespace'], '5');
    });

    it('finds a pool made after instrument() on its own, names it host:port/db, counts it by state, and lets it go at close', async () => {
      const port = server().port;
      const c = createClient({ port, db: 2 });
      const d = createClient({ port, db: 2 });
      const name = `127.0.0.1:${port}/2`;
      const counts = async (): Promise<Record<string, number>> => {
        const m = await h.metric('db.client.connection.count');
        const out: Record<string, number> = {};
        for (const p of m?.dataPoints ?? []) {
          if (p.attributes['db.client.connection.pool.name'] === name) out[String(p.attributes['db.client.connection.state'])] = p.value as number;
        }
        return out;
      };
      try {
        await c.connect();
        // The pool is made on first use, here; nobody calls observePool().
        const pool = c.pool;
        assert.equal(pool.listenerCount('acquire'), 1, 'the instrumentation listens to the new pool');
        // BLPOP leases a connection: once the pool says it lent one, one is in use.
        const acquired = once(pool, 'acquire');
        const blocked = c.blpop('otel:empty', 0.3);
        await acquired;
        assert.deepEqual(await counts(), { idle: 0, used: 1 });
        assert.equal(await blocked, null);
        assert.deepEqual(await counts(), { idle: 1, used: 0 });
        const max = await h.metric('db.client.connection.max');
        assert.ok((max?.dataPoints.find((p) => p.attributes['db.client.connection.pool.name'] === name)?.value as number) >= 1);
        assert.equal(point(await h.metric('db.client.connection.wait_time'), { 'db.client.connection.pool.name': name })?.count, 1);

        // A second pool to the same place gets a name of its own; observePool() renames one.
        void d.pool;
        const pending = await h.metric('db.client.connection.pending_requests');
        const poolNames = new Set(pending?.dataPoints.map((p) => p.attributes['db.client.connection.pool.name']));
        assert.ok(poolNames.has(name) && poolNames.has(`${name}#2`), [...poolNames].join(', '));
        const stop = h.otel.observePool(d.pool, 'second');
        const renamed = await h.metric('db.client.connection.pending_requests');
        assert.ok(renamed?.dataPoints.some((p) => p.attributes['db.client.connection.pool.name'] === 'second'));
        assert.equal(d.pool.listenerCount('acquire'), 1, 'observed once, not twice');
        stop();
        assert.equal(d.pool.listenerCount('acquire'), 0);
      } finally {
        await c.close();
        await d.close();
      }
      // Closed: the next collection no longer reads it, and our listener is gone. (The SDK keeps a
      // cumulative series' last value, so the points themselves linger in its export.)
      let reads = 0;
      const stats = c.pool.stats.bind(c.pool);
      c.pool.stats = () => {
        reads++;
        return stats();
      };
      await h.metric('db.client.connection.count');
      assert.equal(reads, 0);
      assert.equal(c.pool.listenerCount('acquire'), 0);

      // A closed pool's name is free again: two new pools to the same place take it and `#2`, not `#3`.
      const e = createClient({ port, db: 2 });
      const f = createClient({ port, db: 2 });
      try {
        void e.pool;
        void f.pool;
        const again = await h.metric('db.client.connection.pending_requests');
        const live = new Set(again?.dataPoints.map((p) => p.attributes['db.client.connection.pool.name']));
        assert.ok(live.has(name) && live.has(`${name}#2`) && !live.has(`${name}#3`), [...live].join(', '));
      } finally {
        await e.close();
        await f.close();
      }
    });

    it('reports a pool made before instrument() once observePool() is given it', async () => {
      h.otel.disable();
      const pool = new ConnectionPool({ port: server().port });
      try {
        h = harness();
        assert.equal(pool.listenerCount('acquire'), 0, 'made before: not found');
        const stop = h.otel.observePool(pool, 'early');
        const conn = await pool.acquire();
        const m = await h.metric('db.client.connection.count');
        const used = m?.dataPoints.find((p) => p.attributes['db.client.connection.pool.name'] === 'early' && p.attributes['db.client.connection.state'] === 'used');
        assert.equal(used?.value, 1);
        pool.release(conn);
        stop();
        assert.equal(pool.listenerCount('acquire'), 0);
      } finally {
        await pool.close();
      }
    });

    it('disable() unsubscribes: no spans, and the channels cost nothing again', async () => {
      await using c = await createClient({ port: server().port }).connect();
      assert.equal(commandChannel.hasSubscribers, true);
      h.otel.disable();
      h.exporter.reset();
      assert.equal(commandChannel.hasSubscribers, false);
      await c.get('otel:off');
      assert.equal(h.spans().length, 0);
    });
  });
}

describe('redwire/otel with dbStatement', () => {
  const server = useServer({});
  it('adds db.query.text with every argument as ?, only when asked, and keeps it off the metric', async () => {
    const h = harness({ dbStatement: true });
    try {
      await using c = await createClient({ port: server().port }).connect();
      await c.set('otel:secret', 'secret-value', { ex: 10 });
      await c.clientList();
    } finally {
      h.otel.disable();
    }
    assert.equal(h.spans('SET')[0]?.attributes['db.query.text'], 'SET ? ? ? ?');
    assert.equal(h.spans('CLIENT LIST')[0]?.attributes['db.query.text'], 'CLIENT LIST');
    assert.ok(!JSON.stringify(h.spans().map((s) => s.attributes)).includes('secret'));
    const duration = await h.metric('db.client.operation.duration');
    assert.ok(duration!.dataPoints.length > 0);
    assert.ok(duration!.dataPoints.every((d) => !('db.query.text' in d.attributes)));

    // Once no instrumentation asks, the channel stops building statements.
    const plain = harness();
    try {
      await using c = await createClient({ port: server().port }).connect();
      await c.get('otel:secret');
    } finally {
      plain.otel.disable();
    }
    assert.equal(plain.spans('GET')[0]?.attributes['db.query.text'], undefined);
  });
});

describe('redwire/otel on a cluster', () => {
  const cluster = useCluster({});
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.otel.disable());

  /** A key of its own hash tag, its slot, and the primary serving that slot. */
  async function keyOn(prefix: string): Promise<{ key: string; slot: number; owner: { id: string; port: number } }> {
    const key = `${prefix}:{${prefix}}`;
    const slot = keySlot(key);
    const owner = await cluster().ownerOf(slot);
    return { key, slot, owner };
  }

  it('reports the node each command went to', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `otel:cluster:${i}`);
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!] }).connect();
    for (const k of keys) await c.set(k, k);
    const sets = h.spans('SET');
    assert.equal(sets.length, keys.length);
    const ports = new Set(sets.map((s) => s.attributes['server.port']));
    assert.ok(ports.size >= 2, `the keys spread over nodes: ${[...ports].join(', ')}`);
    for (let i = 0; i < keys.length; i++) {
      // The port a span names is the node serving the key's slot.
      const owner = await cluster().ownerOf(keySlot(keys[i]!));
      assert.equal(sets[i]!.attributes['server.port'], owner.port);
      assert.equal(sets[i]!.attributes['network.peer.port'], owner.port);
    }
  });

  it('a cluster pipeline is one span per node it went to, naming the node and the size of its group', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `otel:cpipe:${i}`);
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!] }).connect();
    h.exporter.reset();
    const p = c.pipeline();
    for (const k of keys) p.set(k, 'v');
    assert.equal((await p.exec()).length, keys.length);
    const expected = new Map<number, number>();
    for (const k of keys) {
      const port = (await cluster().ownerOf(keySlot(k))).port;
      expected.set(port, (expected.get(port) ?? 0) + 1);
    }
    assert.ok(expected.size >= 2, 'the keys spread over nodes');
    // Only the pipeline's spans: a connect or a slot-map refresh may run meanwhile.
    const spans = h.spans().filter((s) => s.name === 'SET' || s.name.startsWith('PIPELINE'));
    assert.equal(spans.length, expected.size, spans.map((s) => s.name).join(', '));
    const got = new Map<number, number>();
    for (const s of spans) {
      const size = expected.get(s.attributes['server.port'] as number);
      if (size === 1) {
        assert.equal(s.name, 'SET', 'a group of one is that command');
      } else {
        assert.equal(s.name, 'PIPELINE SET');
        assert.equal(s.attributes['db.operation.name'], 'PIPELINE SET');
        got.set(s.attributes['server.port'] as number, s.attributes['db.operation.batch.size'] as number);
      }
    }
    for (const [port, size] of expected) if (size > 1) assert.equal(got.get(port), size, `node ${port}`);
    const duration = await h.metric('db.client.operation.duration');
    const counted = duration!.dataPoints.filter((d) => d.attributes['db.operation.name'] === 'PIPELINE SET').reduce((n, d) => n + (d.value as { count: number }).count, 0);
    assert.equal(counted, [...expected.values()].filter((n) => n > 1).length);
  });

  it('after MOVED, the redirected attempt names the old node with MovedError and the retry the node that answered', async () => {
    const { key, slot, owner } = await keyOn('otel-moved');
    const target = (await cluster().primaries()).find((p) => p.id !== owner.id)!;
    // No refresh on a timer: the client learns of the move from the MOVED reply itself.
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!], refreshInterval: 0 }).connect();
    await c.set(key, 'here');
    await cluster().moveSlots(owner.id, target.id, [slot]);
    h.exporter.reset();
    const tracer = h.tracerProvider.getTracer('test');
    const value = await tracer.startActiveSpan('caller', async (parent) => {
      try {
        return await c.get(key);
      } finally {
        parent.end();
      }
    });
    assert.equal(value, 'here');
    const [caller] = h.spans('caller');
    const gets = h.spans('GET');
    assert.equal(gets.length, 2, JSON.stringify(gets.map((g) => g.attributes)));
    const [moved, answered] = gets;
    assert.equal(moved!.attributes['server.port'], owner.port);
    assert.equal(moved!.attributes['error.type'], MovedError.name);
    assert.equal(moved!.attributes['db.response.status_code'], 'MOVED');
    assert.equal(moved!.status.code, SpanStatusCode.ERROR);
    assert.equal(answered!.attributes['server.port'], target.port);
    assert.equal(answered!.attributes['network.peer.port'], target.port);
    assert.equal(answered!.status.code, SpanStatusCode.UNSET);
    assert.equal(answered!.attributes['error.type'], undefined);
    // Both are the caller's children: the retry is not hidden inside the failed attempt.
    for (const g of gets) assert.equal(g.parentSpanContext?.spanId, caller!.spanContext().spanId);
  });

  it('after ASK, the retry (ASKING and the command) is a span naming the node that answered', async () => {
    const { key, slot, owner } = await keyOn('otel-ask');
    const target = (await cluster().primaries()).find((p) => p.id !== owner.id)!;
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!], refreshInterval: 0 }).connect();
    await c.set(key, 'asked');
    // Half a migration, as redis-cli leaves it mid-way: the key already on the target, the slot not yet.
    const from = createClient({ port: owner.port });
    const to = createClient({ port: target.port });
    try {
      await to.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', owner.id);
      await from.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id);
      await from.call('MIGRATE', '127.0.0.1', String(target.port), key, '0', '5000');
      h.exporter.reset();
      assert.equal(await c.get(key), 'asked');
      const gets = h.spans('GET');
      assert.equal(gets.length, 2, JSON.stringify(gets.map((g) => g.attributes)));
      const [asked, answered] = gets;
      assert.equal(asked!.attributes['server.port'], owner.port);
      assert.equal(asked!.attributes['error.type'], AskError.name);
      assert.equal(asked!.attributes['db.response.status_code'], 'ASK');
      assert.equal(answered!.attributes['server.port'], target.port);
      assert.equal(answered!.status.code, SpanStatusCode.UNSET);
      assert.equal(h.spans('ASKING').length, 0, 'ASKING is plumbing, not a span of its own');
    } finally {
      // Finish the migration so the cluster is whole again.
      for (const p of await cluster().primaries()) {
        const n = createClient({ port: p.port });
        try {
          await n.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id);
        } finally {
          await n.close();
        }
      }
      await from.close();
      await to.close();
    }
  });
});

describe('redwire/otel on a sentinel group', () => {
  let group: SentinelGroup;
  before(async () => {
    group = await startSentinelGroup({});
  });
  after(async () => {
    await group?.stop();
  });
  it('reports the primary the sentinels named, not a configured default', async () => {
    const h = harness();
    const primaryPort = (await group.primary()).port;
    try {
      const c = createSentinel({ sentinels: group.sentinelAddresses.map((a) => ({ ...a })), name: group.masterName });
      try {
        await c.set('otel:sentinel', '1');
      } finally {
        await c.close();
      }
    } finally {
      h.otel.disable();
    }
    const connects = h.spans('CONNECT').filter((s) => s.attributes['server.port'] === primaryPort);
    assert.ok(connects.length >= 1, JSON.stringify(h.spans('CONNECT').map((s) => s.attributes)));
    const [set] = h.spans('SET');
    assert.equal(set?.attributes['server.port'], primaryPort);
    assert.equal(set?.status.code, SpanStatusCode.UNSET);
  });

  it('a replica client reports the replica it reads from', async () => {
    const h = harness();
    const replicaPorts = (await group.replicas()).map((r) => r.port);
    const primaryPort = (await group.primary()).port;
    try {
      const c = createSentinel({ sentinels: group.sentinelAddresses.map((a) => ({ ...a })), name: group.masterName, role: 'replica' });
      try {
        await c.get('otel:sentinel');
      } finally {
        await c.close();
      }
    } finally {
      h.otel.disable();
    }
    const [get] = h.spans('GET');
    assert.ok(get !== undefined);
    assert.ok(replicaPorts.includes(get.attributes['server.port'] as number), `${String(get.attributes['server.port'])} in ${replicaPorts.join(', ')}`);
    assert.notEqual(get.attributes['server.port'], primaryPort);
  });

  it('after a failover, the spans name the new primary', async () => {
    const h = harness();
    const c = createSentinel({ sentinels: group.sentinelAddresses.map((a) => ({ ...a })), name: group.masterName });
    try {
      await c.set('otel:failover', 'before');
      const before = h.spans('SET').at(-1)!.attributes['server.port'];
      const switched = once(c.sentinel, 'switch') as Promise<[SwitchEvent]>;
      const oldPort = await group.failover();
      assert.equal(before, oldPort);
      const [event] = await switched;
      h.exporter.reset();
      await c.set('otel:failover', 'after');
      const after = h.spans('SET').at(-1);
      assert.equal(after?.attributes['server.port'], event.to.port);
      assert.notEqual(after?.attributes['server.port'], oldPort);
      assert.equal(after?.status.code, SpanStatusCode.UNSET);
    } finally {
      await c.close();
      h.otel.disable();
    }
  });
});

describe('redwire/otel is loaded only when imported', () => {
  it('the main entry never reaches @opentelemetry', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = `${dir}${e.name}`;
        if (e.isDirectory()) {
          if (e.name !== 'otel') walk(`${path}/`);
        } else if (e.name.endsWith('.ts') && /from '@opentelemetry|\/otel\//.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    walk(src);
    assert.deepEqual(offenders, []);
    assert.equal(typeof trace.getTracer, 'function');
  });
});
