import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandKeys, createClient, DataError, type RedisClient } from '../../src/index.js';
import { streamMethods } from '../../src/commands/streams.js';
import { commandSuite } from './helpers.js';

/** Time-dependent fields (ms since…, timestamps) differ between the RESP2 and RESP3 runs. */
const TIME_FIELDS = new Set(['idle', 'inactive', 'seenTime', 'activeTime', 'deliveryTime']);

function scrubTimes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scrubTimes) as T;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (TIME_FIELDS.has(k)) {
      assert.equal(typeof v, 'number', `${k} is a number`);
      assert.ok((v as number) >= -1, `${k} is >= -1`);
      out[k] = 0;
    } else {
      out[k] = scrubTimes(v);
    }
  }
  return out as T;
}

/** A stream `s` with entries 1-1 {a:1,b:2}, 2-0 {c:3}, 3-0 {d:4}, and a group `g` reading from the start. */
async function seed(c: RedisClient): Promise<void> {
  await c.xadd('s', '1-1', { a: '1', b: 2 });
  await c.xadd('s', '2-0', { c: '3' });
  await c.xadd('s', '3-0', { d: '4' });
  await c.xgroupCreate('s', 'g', '0');
}

commandSuite('stream commands', (t) => {
  it('xadd, xlen, xrange and xrevrange give { id, fields } entries', async () => {
    const r = await t.both(async (c) => ({
      ids: [
        await c.xadd('s', '1-1', { a: '1', b: 2 }),
        await c.xadd('s', '2-0', [['c', '3'], ['c', '4']]),
        await c.xadd('s', '3-0', new Map([['d', Buffer.from('x')]])),
      ],
      len: await c.xlen('s'),
      missingLen: await c.xlen('nope'),
      all: await c.xrange('s', '-', '+'),
      exclusive: await c.xrange('s', '(1-1', '+', { count: 1 }),
      rev: await c.xrevrange('s', '+', '-', { count: 2 }),
      empty: await c.xrange('nope', '-', '+'),
    }));
    assert.deepEqual(r.ids, ['1-1', '2-0', '3-0']);
    assert.equal(r.len, 3);
    assert.equal(r.missingLen, 0);
    // A repeated field keeps its last value in the object.
    assert.deepEqual(r.all, [
      { id: '1-1', fields: { a: '1', b: '2' } },
      { id: '2-0', fields: { c: '4' } },
      { id: '3-0', fields: { d: 'x' } },
    ]);
    assert.deepEqual(r.exclusive, [{ id: '2-0', fields: { c: '4' } }]);
    assert.deepEqual(r.rev.map((e) => e.id), ['3-0', '2-0']);
    assert.deepEqual(r.empty, []);
  });

  it('xadd with *, NOMKSTREAM and trimming', async () => {
    const r = await t.both(async (c) => {
      const auto = await c.xadd('auto', '*', { f: 'v' });
      assert.match(auto!, /^\d+-\d+$/);
      for (let i = 1; i <= 5; i++) await c.xadd('s', `${i}-0`, { n: i });
      return {
        nomk: await c.xadd('missing', '*', { f: 'v' }, { nomkstream: true }),
        nomkExisting: await c.xadd('s', '6-0', { n: 6 }, { nomkstream: true }),
        maxlen: await c.xadd('s', '7-0', { n: 7 }, { maxlen: 4 }),
        afterMaxlen: (await c.xrange('s', '-', '+')).map((e) => e.id),
        minid: await c.xadd('s', '8-0', { n: 8 }, { minid: { threshold: '6-0', approximate: false } }),
        afterMinid: (await c.xrange('s', '-', '+')).map((e) => e.id),
        approx: await c.xadd('s', '9-0', { n: 9 }, { maxlen: { threshold: 1, approximate: true, limit: 10 } }),
        missingExists: await c.exists('missing'),
      };
    });
    assert.equal(r.nomk, null);
    assert.equal(r.nomkExisting, '6-0');
    assert.equal(r.maxlen, '7-0');
    assert.deepEqual(r.afterMaxlen, ['4-0', '5-0', '6-0', '7-0']);
    assert.equal(r.minid, '8-0');
    assert.deepEqual(r.afterMinid, ['6-0', '7-0', '8-0']);
    assert.equal(r.approx, '9-0');
    assert.equal(r.missingExists, 0);
  });

  it('xtrim, xdel and xsetid', async () => {
    const r = await t.both(async (c) => {
      for (let i = 1; i <= 10; i++) await c.xadd('s', `${i}-0`, { n: i });
      const trimmedMaxlen = await c.xtrim('s', { maxlen: 8 });
      const trimmedMinid = await c.xtrim('s', { minid: '5-0' });
      const trimmedApprox = await c.xtrim('s', { maxlen: { threshold: 5, approximate: true, limit: 100 } });
      const trimmedExact = await c.xtrim('s', { maxlen: { threshold: 4, approximate: false } });
      const deleted = await c.xdel('s', '7-0', '8-0', '99-0');
      const ids = (await c.xrange('s', '-', '+')).map((e) => e.id);
      const setid = await c.xsetid('s', '20-0', { entriesadded: 50, maxdeletedid: '15-0' });
      const info = await c.xinfoStream('s');
      return { trimmedMaxlen, trimmedMinid, trimmedApprox, trimmedExact, deleted, ids, setid, info };
    });
    assert.equal(r.trimmedMaxlen, 2);
    assert.equal(r.trimmedMinid, 2);
    // Approximate trimming only drops whole radix-tree nodes; six small entries share one.
    assert.equal(r.trimmedApprox, 0);
    assert.equal(r.trimmedExact, 2);
    assert.equal(r.deleted, 2);
    assert.deepEqual(r.ids, ['9-0', '10-0']);
    assert.equal(r.setid, 'OK');
    assert.equal(r.info.lastGeneratedId, '20-0');
    assert.equal(r.info.entriesAdded, 50);
    assert.equal(r.info.maxDeletedEntryId, '15-0');
  });

  it('xread gives a record per stream, null when there is nothing', async () => {
    const r = await t.both(async (c) => {
      await c.xadd('a', '1-0', { x: '1' });
      await c.xadd('a', '2-0', { x: '2' });
      await c.xadd('b', '5-0', { y: 'z' });
      return {
        both: await c.xread({ a: '0', b: '0' }),
        count: await c.xread([['a', '0'], ['b', '5-0']], { count: 1 }),
        none: await c.xread({ missing: '0' }),
        latest: await c.xread({ a: '1-0' }),
      };
    });
    assert.deepEqual(r.both, {
      a: [
        { id: '1-0', fields: { x: '1' } },
        { id: '2-0', fields: { x: '2' } },
      ],
      b: [{ id: '5-0', fields: { y: 'z' } }],
    });
    assert.deepEqual(r.count, { a: [{ id: '1-0', fields: { x: '1' } }] });
    assert.equal(r.none, null);
    assert.deepEqual(r.latest, { a: [{ id: '2-0', fields: { x: '2' } }] });
  });

  it('xread BLOCK waits for an entry added by another client, and times out with null', async () => {
    const r = await t.both(async (c, protocol) => {
      const other = t.client(protocol === 2 ? 3 : 2);
      await c.xadd('s', '4-0', { n: 4 });
      const timedOut = await c.xread({ s: '4-0' }, { block: 50 });
      // Reading after 4-0 returns 5-0 whether the add lands before or during the block.
      const pending = c.xread({ s: '4-0' }, { block: 0 });
      await other.xadd('s', '5-0', { n: 5 });
      return { timedOut, woken: await pending };
    });
    assert.equal(r.timedOut, null);
    assert.deepEqual(r.woken, { s: [{ id: '5-0', fields: { n: '5' } }] });
  });

  it('withBuffers() gives entry fields as a Map keyed by their bytes, and string ids', async () => {
    const r = await t.both(async (c) => {
      await c.xadd('s', '1-0', { f: Buffer.from([0xff, 0x00]) });
      // Two field names that UTF-8 would decode alike (both to U+FFFD).
      await c.xadd('s', '2-0', [[Buffer.from([0xff]), 'a'], [Buffer.from([0xfe]), 'b']]);
      const b = c.withBuffers();
      return {
        read: await b.xread({ s: '0' }, { count: 1 }),
        range: await b.xrange('s', '-', '+'),
        info: (await b.xinfoStream('s')).lastEntry,
        text: await c.xrange('s', '1-0', '1-0'),
        id: await b.xadd('s', '3-0', { g: 1 }),
      };
    });
    const f = (pairs: Array<[number[], string | number[]]>) =>
      new Map(pairs.map(([k, v]) => [Buffer.from(k), typeof v === 'string' ? Buffer.from(v) : Buffer.from(v)]));
    assert.deepEqual(r.read, { s: [{ id: '1-0', fields: f([[[0x66], [0xff, 0x00]]]) }] });
    assert.deepEqual(r.range, [
      { id: '1-0', fields: f([[[0x66], [0xff, 0x00]]]) },
      { id: '2-0', fields: f([[[0xff], 'a'], [[0xfe], 'b']]) },
    ]);
    assert.deepEqual(r.info, { id: '2-0', fields: f([[[0xff], 'a'], [[0xfe], 'b']]) });
    assert.deepEqual(r.text, [{ id: '1-0', fields: { f: Buffer.from([0xff, 0x00]).toString() } }]);
    assert.equal(r.id, '3-0');
  });

  it('xgroup create/createconsumer/delconsumer/setid/destroy', async () => {
    const r = await t.both(async (c) => {
      const created = await c.xgroupCreate('s', 'g', '$', { mkstream: true });
      const createdRead = await c.xgroupCreate('s', 'g2', '0', { entriesread: 0 });
      const newConsumer = await c.xgroupCreateconsumer('s', 'g', 'alice');
      const again = await c.xgroupCreateconsumer('s', 'g', 'alice');
      await c.xadd('s', '1-0', { a: 1 });
      await c.xreadgroup('g', 'bob', { s: '>' }, { count: 1 });
      const setid = await c.xgroupSetid('s', 'g', '0', { entriesread: 0 });
      const groups = await c.xinfoGroups('s');
      const delAlice = await c.xgroupDelconsumer('s', 'g', 'alice');
      const delBob = await c.xgroupDelconsumer('s', 'g', 'bob');
      const destroyed = await c.xgroupDestroy('s', 'g2');
      const destroyedAgain = await c.xgroupDestroy('s', 'g2');
      return { created, createdRead, newConsumer, again, setid, groups, delAlice, delBob, destroyed, destroyedAgain };
    });
    assert.equal(r.created, 'OK');
    assert.equal(r.createdRead, 'OK');
    assert.equal(r.newConsumer, true);
    assert.equal(r.again, false);
    assert.equal(r.setid, 'OK');
    assert.deepEqual(r.groups, [
      { name: 'g', consumers: 2, pending: 1, lastDeliveredId: '0-0', entriesRead: 0, lag: 1 },
      { name: 'g2', consumers: 0, pending: 0, lastDeliveredId: '0-0', entriesRead: 0, lag: 1 },
    ]);
    assert.equal(r.delAlice, 0);
    assert.equal(r.delBob, 1);
    assert.equal(r.destroyed, true);
    assert.equal(r.destroyedAgain, false);
  });

  it('xreadgroup reads new entries and history, with null fields for deleted ones; xack acknowledges', async () => {
    const r = await t.both(async (c) => {
      await seed(c);
      const first = await c.xreadgroup('g', 'alice', { s: '>' }, { count: 2 });
      const rest = await c.xreadgroup('g', 'bob', [['s', '>']]);
      const nothing = await c.xreadgroup('g', 'bob', { s: '>' });
      await c.xdel('s', '2-0');
      const history = await c.xreadgroup('g', 'alice', { s: '0' });
      const acked = await c.xack('s', 'g', '1-1', '2-0', '9-9');
      const historyAfter = await c.xreadgroup('g', 'alice', { s: '0' });
      await c.xadd('s', '4-0', { e: '5' });
      const noack = await c.xreadgroup('g', 'carol', { s: '>' }, { noack: true });
      const timedOut = await c.xreadgroup('g', 'carol', { s: '>' }, { block: 50 });
      return { first, rest, nothing, history, acked, historyAfter, noack, timedOut, pending: await c.xpending('s', 'g') };
    });
    assert.deepEqual(r.first, {
      s: [
        { id: '1-1', fields: { a: '1', b: '2' } },
        { id: '2-0', fields: { c: '3' } },
      ],
    });
    assert.deepEqual(r.rest, { s: [{ id: '3-0', fields: { d: '4' } }] });
    assert.equal(r.nothing, null);
    assert.deepEqual(r.history, {
      s: [
        { id: '1-1', fields: { a: '1', b: '2' } },
        { id: '2-0', fields: null },
      ],
    });
    assert.equal(r.acked, 2);
    assert.deepEqual(r.historyAfter, { s: [] });
    assert.deepEqual(r.noack, { s: [{ id: '4-0', fields: { e: '5' } }] });
    assert.equal(r.timedOut, null);
    // NOACK left carol's entry out of the PEL: only bob's 3-0 is pending.
    assert.deepEqual(r.pending, { pending: 1, minId: '3-0', maxId: '3-0', consumers: [{ name: 'bob', pending: 1 }] });
  });

  it('xpending summary and extended forms', async () => {
    const r = await t.both(async (c) => {
      await seed(c);
      const empty = await c.xpending('s', 'g');
      await c.xreadgroup('g', 'alice', { s: '>' }, { count: 2 });
      await c.xreadgroup('g', 'bob', { s: '>' });
      return {
        empty,
        summary: await c.xpending('s', 'g'),
        all: scrubTimes(await c.xpending('s', 'g', '-', '+', 10)),
        limited: scrubTimes(await c.xpending('s', 'g', '(1-1', '+', 1)),
        bob: scrubTimes(await c.xpending('s', 'g', '-', '+', 10, { consumer: 'bob', idle: 0 })),
        idleFilter: await c.xpending('s', 'g', '-', '+', 10, { idle: 3_600_000 }),
      };
    });
    assert.deepEqual(r.empty, { pending: 0, minId: null, maxId: null, consumers: [] });
    assert.deepEqual(r.summary, {
      pending: 3,
      minId: '1-1',
      maxId: '3-0',
      consumers: [
        { name: 'alice', pending: 2 },
        { name: 'bob', pending: 1 },
      ],
    });
    assert.deepEqual(r.all, [
      { id: '1-1', consumer: 'alice', idle: 0, deliveries: 1 },
      { id: '2-0', consumer: 'alice', idle: 0, deliveries: 1 },
      { id: '3-0', consumer: 'bob', idle: 0, deliveries: 1 },
    ]);
    assert.deepEqual(r.limited, [{ id: '2-0', consumer: 'alice', idle: 0, deliveries: 1 }]);
    assert.deepEqual(r.bob, [{ id: '3-0', consumer: 'bob', idle: 0, deliveries: 1 }]);
    assert.deepEqual(r.idleFilter, []);
  });

  it('xclaim with its options and JUSTID', async () => {
    const r = await t.both(async (c) => {
      await seed(c);
      await c.xreadgroup('g', 'alice', { s: '>' });
      const claimed = await c.xclaim('s', 'g', 'bob', 0, ['1-1', '2-0']);
      const justid = await c.xclaim('s', 'g', 'carol', 0, ['2-0'], { justid: true });
      const tooFresh = await c.xclaim('s', 'g', 'dave', 3_600_000, ['3-0']);
      const withOptions = await c.xclaim('s', 'g', 'dave', 0, ['3-0'], { idle: 10_000, retrycount: 7, lastid: '3-0' });
      await c.xadd('s', '4-0', { e: '5' });
      const forced = await c.xclaim('s', 'g', 'erin', 0, ['4-0'], { force: true, justid: true });
      const at = Date.now() - 60_000;
      const timed = await c.xclaim('s', 'g', 'erin', 0, ['1-1'], { time: at, justid: true });
      return {
        claimed,
        justid,
        tooFresh,
        withOptions,
        forced,
        timed,
        pending: scrubTimes(await c.xpending('s', 'g', '-', '+', 10)),
        old: (await c.xpending('s', 'g', '-', '+', 10, { idle: 50_000 })).map((e) => e.id),
      };
    });
    assert.deepEqual(r.claimed, [
      { id: '1-1', fields: { a: '1', b: '2' } },
      { id: '2-0', fields: { c: '3' } },
    ]);
    assert.deepEqual(r.justid, ['2-0']);
    assert.deepEqual(r.tooFresh, []);
    assert.deepEqual(r.withOptions, [{ id: '3-0', fields: { d: '4' } }]);
    assert.deepEqual(r.forced, ['4-0']);
    assert.deepEqual(r.timed, ['1-1']);
    assert.deepEqual(r.pending, [
      { id: '1-1', consumer: 'erin', idle: 0, deliveries: 2 },
      { id: '2-0', consumer: 'carol', idle: 0, deliveries: 2 },
      { id: '3-0', consumer: 'dave', idle: 0, deliveries: 7 },
      { id: '4-0', consumer: 'erin', idle: 0, deliveries: 1 },
    ]);
    // IDLE 10000 is below 50 s, TIME a minute ago is above it.
    assert.deepEqual(r.old, ['1-1']);
  });

  it('xautoclaim with COUNT, JUSTID and deleted ids', async () => {
    const r = await t.both(async (c) => {
      await seed(c);
      await c.xreadgroup('g', 'alice', { s: '>' });
      const page = await c.xautoclaim('s', 'g', 'bob', 0, '0-0', { count: 2 });
      const rest = await c.xautoclaim('s', 'g', 'bob', 0, page.nextId, { justid: true });
      await c.xdel('s', '2-0');
      const withDeleted = await c.xautoclaim('s', 'g', 'carol', 0, '0-0');
      const none = await c.xautoclaim('s', 'g', 'carol', 3_600_000, '0-0', { justid: true });
      const noneEntries = await c.xautoclaim('s', 'g', 'carol', 3_600_000, '0-0', { count: 10 });
      return { page, rest, withDeleted, none, noneEntries };
    });
    assert.deepEqual(r.page, {
      nextId: '3-0',
      entries: [
        { id: '1-1', fields: { a: '1', b: '2' } },
        { id: '2-0', fields: { c: '3' } },
      ],
      deletedIds: [],
    });
    assert.deepEqual(r.rest, { nextId: '0-0', ids: ['3-0'], deletedIds: [] });
    assert.deepEqual(r.withDeleted, {
      nextId: '0-0',
      entries: [
        { id: '1-1', fields: { a: '1', b: '2' } },
        { id: '3-0', fields: { d: '4' } },
      ],
      deletedIds: ['2-0'],
    });
    assert.deepEqual(r.none, { nextId: '0-0', ids: [], deletedIds: [] });
    assert.deepEqual(r.noneEntries, { nextId: '0-0', entries: [], deletedIds: [] });
  });

  it('xinfoStream, xinfoStream FULL, xinfoGroups and xinfoConsumers as records', async () => {
    const r = await t.both(async (c) => {
      await seed(c);
      await c.xreadgroup('g', 'alice', { s: '>' }, { count: 1 });
      await c.xgroupCreateconsumer('s', 'g', 'bob');
      return {
        stream: await c.xinfoStream('s'),
        full: scrubTimes(await c.xinfoStream('s', { full: true })),
        fullCount: (await c.xinfoStream('s', { full: true, count: 1 })).entries.length,
        groups: await c.xinfoGroups('s'),
        consumers: scrubTimes(await c.xinfoConsumers('s', 'g')),
        empty: await c.xinfoStream(await c.xadd('e', '1-0', { a: 1 }).then(async () => (await c.xdel('e', '1-0'), 'e'))),
      };
    });
    assert.deepEqual(
      { ...r.stream, radixTreeKeys: 0, radixTreeNodes: 0 },
      {
        length: 3,
        radixTreeKeys: 0,
        radixTreeNodes: 0,
        lastGeneratedId: '3-0',
        maxDeletedEntryId: '0-0',
        entriesAdded: 3,
        recordedFirstEntryId: '1-1',
        groups: 1,
        firstEntry: { id: '1-1', fields: { a: '1', b: '2' } },
        lastEntry: { id: '3-0', fields: { d: '4' } },
      },
    );
    assert.equal(r.empty.firstEntry, null);
    assert.equal(r.empty.lastEntry, null);
    assert.equal(r.empty.length, 0);
    assert.equal(r.full.length, 3);
    assert.equal(r.full.entries.length, 3);
    assert.deepEqual(r.full.entries[2], { id: '3-0', fields: { d: '4' } });
    assert.equal(r.fullCount, 1);
    assert.equal(r.full.groups.length, 1);
    const g = r.full.groups[0]!;
    assert.equal(g.name, 'g');
    assert.equal(g.lastDeliveredId, '1-1');
    assert.equal(g.pelCount, 1);
    assert.deepEqual(g.pending, [{ id: '1-1', consumer: 'alice', deliveryTime: 0, deliveryCount: 1 }]);
    assert.deepEqual(
      g.consumers.map(({ name, pelCount, pending }) => ({ name, pelCount, pending })),
      [
        { name: 'alice', pelCount: 1, pending: [{ id: '1-1', deliveryTime: 0, deliveryCount: 1 }] },
        { name: 'bob', pelCount: 0, pending: [] },
      ],
    );
    assert.deepEqual(r.groups, [{ name: 'g', consumers: 2, pending: 1, lastDeliveredId: '1-1', entriesRead: 1, lag: 2 }]);
    assert.deepEqual(
      r.consumers.map(({ name, pending, idle }) => ({ name, pending, idle })),
      [
        { name: 'alice', pending: 1, idle: 0 },
        { name: 'bob', pending: 0, idle: 0 },
      ],
    );
    if (t.kind === 'valkey') assert.equal(r.consumers[0]!.inactive, 0);
  });

  it('xgroupHelp and xinfoHelp list their subcommands', async () => {
    const r = await t.both(async (c) => ({ xgroup: await c.xgroupHelp(), xinfo: await c.xinfoHelp() }));
    assert.ok(r.xgroup.some((l) => l.includes('CREATECONSUMER')));
    assert.ok(r.xinfo.some((l) => l.includes('CONSUMERS')));
    assert.ok(r.xinfo.every((l) => typeof l === 'string'));
  });

  it('extends the command timeout by the BLOCK time', async () => {
    // A 400 ms block outlives a 300 ms command timeout. (The margin stays above the server's own
    // lateness in expiring a block, up to 1/hz = 100 ms.)
    await using c = await createClient({ port: t.server().port, commandTimeout: 300 }).connect();
    assert.equal(await c.xread({ s: '$' }, { block: 400 }), null);
    await c.xgroupCreate('blocking', 'g', '$', { mkstream: true });
    assert.equal(await c.xreadgroup('g', 'c', { blocking: '>' }, { block: 400 }), null);
    await c.del('blocking');
  });

  it('refuses bad arguments with DataError before sending', async () => {
    const c = t.client(3) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const bad: Array<[string, unknown[], RegExp]> = [
      ['xadd', [1, '*', { a: 1 }], /XADD: key/],
      ['xadd', ['s', 5, { a: 1 }], /XADD: id/],
      ['xadd', ['s', '*', {}], /XADD: at least one field/],
      ['xadd', ['s', '*', { a: null }], /XADD: value/],
      ['xadd', ['s', '*', 'a'], /XADD: fields/],
      ['xadd', ['s', '*', { a: 1 }, { maxlen: 1, minid: '1' }], /maxlen and minid/],
      ['xadd', ['s', '*', { a: 1 }, { maxlen: { threshold: 1, limit: 5 } }], /limit needs approximate/],
      ['xadd', ['s', '*', { a: 1 }, { maxlen: -1 }], /maxlen threshold/],
      ['xadd', ['s', '*', { a: 1 }, { keepref: true, acked: true }], /exclude each other/],
      ['xadd', ['s', '*', { a: 1 }, 'nomkstream'], /options must be an object/],
      ['xtrim', ['s'], /XTRIM/],
      ['xtrim', ['s', {}], /maxlen or minid is required/],
      ['xtrim', ['s', { minid: {} }], /minid threshold/],
      ['xrange', ['s', '-'], /XRANGE: end/],
      ['xrange', ['s', '-', '+', { count: 1.5 }], /XRANGE: count/],
      ['xrevrange', ['s', 1, '-'], /XREVRANGE: end/],
      ['xread', [{}], /at least one stream/],
      ['xread', ['s'], /XREAD: streams/],
      ['xread', [{ s: 0 }], /XREAD: stream id/],
      ['xread', [{ s: '0' }, { block: 'x' }], /XREAD: block/],
      ['xread', [{ s: '0' }, { noack: true }], /noack is an XREADGROUP option/],
      ['xreadgroup', ['g', undefined, { s: '>' }], /XREADGROUP: consumer/],
      ['xack', ['s', 'g'], /XACK: ids/],
      ['xack', ['s', 'g', 5], /XACK: id/],
      ['xdel', ['s'], /XDEL: ids/],
      ['xclaim', ['s', 'g', 'c', 0, '1-0'], /XCLAIM: ids/],
      ['xclaim', ['s', 'g', 'c', -1, ['1-0']], /XCLAIM: minIdleTime/],
      ['xautoclaim', ['s', 'g', 'c', 0], /XAUTOCLAIM: start/],
      ['xpending', ['s', 'g', '-', '+'], /XPENDING: count/],
      ['xpending', [null, 'g'], /XPENDING: key/],
      ['xgroupCreate', ['s', 'g'], /XGROUP CREATE: id/],
      ['xgroupCreate', ['s', 'g', '$', { entriesread: 'x' }], /entriesread/],
      ['xgroupSetid', ['s', 'g', '$', { entriesread: 1.5 }], /entriesread/],
      ['xgroupCreateconsumer', ['s', 'g'], /consumer/],
      ['xgroupDelconsumer', ['s', 1, 'c'], /group/],
      ['xgroupDestroy', ['s'], /group/],
      ['xinfoStream', ['s', { count: 5 }], /count needs full/],
      ['xinfoGroups', [1], /key/],
      ['xinfoConsumers', ['s'], /group/],
      ['xsetid', ['s'], /lastId/],
      ['xlen', [[]], /XLEN: key/],
      ['xackdel', ['s', 'g', []], /XACKDEL: ids/],
      ['xdelex', ['s', ['1-0'], { keepref: true, delref: true }], /exclude each other/],
      ['xcfgset', ['s', {}], /idmpDuration or idmpMaxsize/],
    ];
    for (const [name, args, message] of bad) {
      await assert.rejects(c[name]!(...args), (e: unknown) => e instanceof DataError && message.test((e as Error).message), `${name}(${JSON.stringify(args)})`);
    }
  });
});

describe('stream commands without a server', () => {
  it('build the argv of option combinations', () => {
    const m = streamMethods;
    assert.deepEqual(m.xadd.build('s', '*', { a: 1 }), ['XADD', 's', '*', 'a', 1]);
    assert.deepEqual(
      m.xadd.build('s', '5-*', [['a', 'x']], { nomkstream: true, maxlen: { threshold: 100, approximate: true, limit: 10 } }),
      ['XADD', 's', 'NOMKSTREAM', 'MAXLEN', '~', 100, 'LIMIT', 10, '5-*', 'a', 'x'],
    );
    assert.deepEqual(m.xadd.build('s', '*', { a: 1 }, { minid: { threshold: '7-0', approximate: false } }), [
      'XADD', 's', 'MINID', '=', '7-0', '*', 'a', 1,
    ]);
    // Redis 8.2 reference policies and 8.6 idempotent production.
    assert.deepEqual(m.xadd.build('s', '*', { a: 1 }, { acked: true, idmpauto: 'p1' }), ['XADD', 's', 'ACKED', 'IDMPAUTO', 'p1', '*', 'a', 1]);
    assert.deepEqual(m.xadd.build('s', '*', { a: 1 }, { delref: true, idmp: { producerId: 'p1', idempotentId: 'm7' }, maxlen: 5 }), [
      'XADD', 's', 'DELREF', 'IDMP', 'p1', 'm7', 'MAXLEN', 5, '*', 'a', 1,
    ]);
    assert.throws(() => m.xadd.build('s', '*', { a: 1 }, { idmpauto: 'p', idmp: { producerId: 'p', idempotentId: 'i' } }), DataError);
    assert.deepEqual(m.xtrim.build('s', { maxlen: { threshold: 10, approximate: true, limit: 5 }, keepref: true }), [
      'XTRIM', 's', 'MAXLEN', '~', 10, 'LIMIT', 5, 'KEEPREF',
    ]);
    assert.deepEqual(m.xtrim.build('s', { minid: 1700000000000 }), ['XTRIM', 's', 'MINID', 1700000000000]);
    assert.deepEqual(m.xread.build({ a: '0', b: '$' }, { count: 5, block: 100, maxcount: 10, maxsize: 4096 }), [
      'XREAD', 'COUNT', 5, 'BLOCK', 100, 'MAXCOUNT', 10, 'MAXSIZE', 4096, 'STREAMS', 'a', 'b', '0', '$',
    ]);
    assert.deepEqual(m.xread.build([[Buffer.from('b'), '+']]), ['XREAD', 'STREAMS', Buffer.from('b'), '+']);
    assert.deepEqual(m.xreadgroup.build('g', 'c', { s: '>' }, { count: 1, block: 0, claim: 5000, noack: true }), [
      'XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'BLOCK', 0, 'CLAIM', 5000, 'NOACK', 'STREAMS', 's', '>',
    ]);
    assert.deepEqual(m.xclaim.build('s', 'g', 'c', 10, ['1-0', '2-0'], { idle: 1, time: 2, retrycount: 3, force: true, justid: true, lastid: '2-0' }), [
      'XCLAIM', 's', 'g', 'c', 10, '1-0', '2-0', 'IDLE', 1, 'TIME', 2, 'RETRYCOUNT', 3, 'FORCE', 'JUSTID', 'LASTID', '2-0',
    ]);
    assert.deepEqual(m.xautoclaim.build('s', 'g', 'c', 10, '0-0', { count: 5, justid: true }), [
      'XAUTOCLAIM', 's', 'g', 'c', 10, '0-0', 'COUNT', 5, 'JUSTID',
    ]);
    assert.deepEqual(m.xpending.build('s', 'g'), ['XPENDING', 's', 'g']);
    assert.deepEqual(m.xpending.build('s', 'g', '-', '+', 10, { idle: 500, consumer: 'c' }), [
      'XPENDING', 's', 'g', 'IDLE', 500, '-', '+', 10, 'c',
    ]);
    assert.deepEqual(m.xgroupCreate.build('s', 'g', '$', { mkstream: true, entriesread: 3 }), [
      'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM', 'ENTRIESREAD', 3,
    ]);
    assert.deepEqual(m.xgroupSetid.build('s', 'g', '0', { entriesread: 0 }), ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', 0]);
    assert.deepEqual(m.xinfoStream.build('s', { full: true, count: 0 }), ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 0]);
    assert.deepEqual(m.xsetid.build('s', '5-0', { entriesadded: 9, maxdeletedid: '3-0' }), [
      'XSETID', 's', '5-0', 'ENTRIESADDED', 9, 'MAXDELETEDID', '3-0',
    ]);
    assert.deepEqual(m.xrange.build('s', '-', '+', { count: 2 }), ['XRANGE', 's', '-', '+', 'COUNT', 2]);
    assert.deepEqual(m.xrevrange.build('s', '+', '-'), ['XREVRANGE', 's', '+', '-']);
  });

  it('build the commands newer than the test servers (XACKDEL, XDELEX, XCFGSET)', () => {
    const m = streamMethods;
    assert.deepEqual(m.xackdel.build('s', 'g', ['1-0', '2-0']), ['XACKDEL', 's', 'g', 'IDS', 2, '1-0', '2-0']);
    assert.deepEqual(m.xackdel.build('s', 'g', ['1-0'], { acked: true }), ['XACKDEL', 's', 'g', 'ACKED', 'IDS', 1, '1-0']);
    assert.deepEqual(m.xdelex.build('s', ['1-0'], { delref: true }), ['XDELEX', 's', 'DELREF', 'IDS', 1, '1-0']);
    assert.deepEqual(m.xdelex.build('s', ['1-0', '3-0']), ['XDELEX', 's', 'IDS', 2, '1-0', '3-0']);
    assert.deepEqual(m.xcfgset.build('s', { idmpDuration: 300, idmpMaxsize: 1000 }), ['XCFGSET', 's', 'IDMP-DURATION', 300, 'IDMP-MAXSIZE', 1000]);
    assert.deepEqual(commandKeys(m.xackdel.build('s', 'g', ['1-0'])), ['s']);
    assert.deepEqual(commandKeys(m.xdelex.build('s', ['1-0'])), ['s']);
  });

  it('read the CLAIM form of XREADGROUP entries (Redis 8.4) under both protocols', () => {
    const transform = streamMethods.xreadgroup.transform!;
    const entries = [
      ['1-0', ['a', '1'], 5000, 2],
      ['2-0', ['b', '2'], '0', '0'],
    ];
    const expected = {
      s: [
        { id: '1-0', fields: { a: '1' }, idle: 5000, deliveries: 2 },
        { id: '2-0', fields: { b: '2' }, idle: 0, deliveries: 0 },
      ],
    };
    assert.deepEqual(transform([['s', entries]]), expected);
    assert.deepEqual(transform({ s: entries }), expected);
  });

  it('find XREAD / XREADGROUP keys and block time past their options', () => {
    const m = streamMethods;
    const read = m.xread.build({ a: '0', b: '0' }, { count: 1, block: 250 });
    assert.deepEqual(commandKeys(read), ['a', 'b']);
    assert.equal(m.xread.info.blockMs!(read), 250);
    assert.equal(m.xread.info.blockMs!(m.xread.build({ a: '0' })), undefined);
    const group = m.xreadgroup.build('BLOCK', 'STREAMS', { STREAMS: '>', x: '>' }, { block: 0 });
    assert.deepEqual(commandKeys(group), ['STREAMS', 'x']);
    assert.equal(m.xreadgroup.info.blockMs!(group), 0);
    assert.equal(m.xreadgroup.info.blockMs!(m.xreadgroup.build('g', 'c', { s: '>' })), undefined);
  });

});
