import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConnectionError, DataError, ResponseError, createClient, type RedisClient } from '../../src/index.js';
import { serverMethods, type MemoryStats } from '../../src/commands/server.js';
import { startServer, type RedisServer } from '../servers/index.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

/** Polls `check` until it holds: replication and background saves finish on their own schedule. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function persistenceIdle(c: RedisClient): Promise<boolean> {
  const p = (await c.info('persistence'))['persistence']!;
  return p['rdb_bgsave_in_progress'] === 0 && p['aof_rewrite_in_progress'] === 0 && p['aof_rewrite_scheduled'] === 0;
}

describe('server commands: argv', () => {
  const m = serverMethods;
  it('builds the ACL commands', () => {
    assert.deepEqual(m.aclCat.build(), ['ACL', 'CAT']);
    assert.deepEqual(m.aclCat.build('string'), ['ACL', 'CAT', 'string']);
    assert.deepEqual(m.aclDeluser.build('a', 'b'), ['ACL', 'DELUSER', 'a', 'b']);
    assert.deepEqual(m.aclDryrun.build('u', 'set', 'k', 1), ['ACL', 'DRYRUN', 'u', 'set', 'k', 1]);
    assert.deepEqual(m.aclGenpass.build(64), ['ACL', 'GENPASS', 64]);
    assert.deepEqual(m.aclLog.build(), ['ACL', 'LOG']);
    assert.deepEqual(m.aclLog.build(5), ['ACL', 'LOG', 5]);
    assert.deepEqual(m.aclLogReset.build(), ['ACL', 'LOG', 'RESET']);
    assert.deepEqual(m.aclSetuser.build('u', 'on', '>pw', '~*'), ['ACL', 'SETUSER', 'u', 'on', '>pw', '~*']);
    assert.throws(() => m.aclDeluser.build(), /ACL DELUSER: at least 1 username is required/);
    assert.throws(() => m.aclGetuser.build(bad(1)), /ACL GETUSER: username must be a string or Buffer, got number/);
    assert.throws(() => m.aclGenpass.build(bad('64')), /ACL GENPASS: bits must be an integer/);
    assert.throws(() => m.aclLog.build(bad(1.5)), /ACL LOG: count must be an integer/);
    assert.throws(() => m.aclSetuser.build('u', bad([['on']])), /ACL SETUSER: rule must be a string or Buffer, got an array/);
    assert.throws(() => m.aclDryrun.build('u', bad(undefined)), /ACL DRYRUN: command must be/);
  });

  it('builds COMMAND and CONFIG', () => {
    assert.deepEqual(m.command.build(), ['COMMAND']);
    assert.deepEqual(m.commandDocs.build(), ['COMMAND', 'DOCS']);
    assert.deepEqual(m.commandInfo.build('get', 'set'), ['COMMAND', 'INFO', 'get', 'set']);
    assert.deepEqual(m.commandGetkeys.build('set', 'k', 'v'), ['COMMAND', 'GETKEYS', 'set', 'k', 'v']);
    assert.deepEqual(m.commandList.build(), ['COMMAND', 'LIST']);
    assert.deepEqual(m.commandList.build({ filterby: { pattern: 'x*' } }), ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'x*']);
    assert.deepEqual(m.commandList.build({ filterby: { aclcat: 'read' } }), ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'read']);
    assert.deepEqual(m.commandList.build({ filterby: { module: 'json' } }), ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'json']);
    assert.throws(() => m.commandList.build(bad({ filterby: { pattern: 'a', module: 'b' } })), /exactly one of module, aclcat, pattern/);
    assert.throws(() => m.commandList.build(bad('x')), /COMMAND LIST: options must be an object/);
    assert.deepEqual(m.configGet.build('a', 'b'), ['CONFIG', 'GET', 'a', 'b']);
    assert.deepEqual(m.configSet.build('hz', 10), ['CONFIG', 'SET', 'hz', 10]);
    assert.deepEqual(m.configSet.build({ hz: 10, 'maxmemory-policy': 'allkeys-lru' }), ['CONFIG', 'SET', 'hz', 10, 'maxmemory-policy', 'allkeys-lru']);
    assert.deepEqual(m.configSet.build([['hz', 11]]), ['CONFIG', 'SET', 'hz', 11]);
    assert.throws(() => m.configGet.build(), /CONFIG GET: at least 1 parameter is required/);
    assert.throws(() => m.configSet.build({}), /CONFIG SET: at least one parameters entry is required/);
    assert.throws(() => m.configSet.build('hz', bad(null)), /CONFIG SET: value must be a string, Buffer, finite number or bigint, got null/);
    assert.throws(() => m.configSet.build(bad(5)), /CONFIG SET: parameters must be an object/);
  });

  it('builds the replication and lifecycle commands', () => {
    assert.deepEqual(m.failover.build(), ['FAILOVER']);
    assert.deepEqual(m.failover.build({ to: { host: 'h', port: 1, force: true }, timeout: 50 }), ['FAILOVER', 'TO', 'h', 1, 'FORCE', 'TIMEOUT', 50]);
    assert.deepEqual(m.failover.build({ abort: true }), ['FAILOVER', 'ABORT']);
    assert.throws(() => m.failover.build(bad({ to: { host: 'h', port: '1' } })), /FAILOVER: to.port must be an integer/);
    assert.deepEqual(m.replicaof.build('10.0.0.1', 6379), ['REPLICAOF', '10.0.0.1', 6379]);
    assert.deepEqual(m.replicaof.build('NO', 'ONE'), ['REPLICAOF', 'NO', 'ONE']);
    assert.deepEqual(m.slaveof.build('no', 'one'), ['SLAVEOF', 'NO', 'ONE']);
    assert.throws(() => m.replicaof.build('h', bad('6379')), /REPLICAOF: port must be an integer/);
    assert.deepEqual(m.shutdown.build(), ['SHUTDOWN']);
    assert.deepEqual(m.shutdown.build({ nosave: true, now: true, force: true }), ['SHUTDOWN', 'NOSAVE', 'NOW', 'FORCE']);
    assert.deepEqual(m.shutdown.build({ save: true }), ['SHUTDOWN', 'SAVE']);
    assert.deepEqual(m.shutdown.build({ abort: true }), ['SHUTDOWN', 'ABORT']);
    assert.throws(() => m.shutdown.build({ save: true, nosave: true }), /SHUTDOWN: nosave and save exclude each other/);
    assert.throws(() => m.shutdown.build({ abort: true, now: true }), /SHUTDOWN: abort cannot be combined/);
    assert.deepEqual(m.flushdb.build('ASYNC'), ['FLUSHDB', 'ASYNC']);
    assert.throws(() => m.flushall.build(bad('LATER')), /FLUSHALL: mode must be one of ASYNC, SYNC, got "LATER"/);
    assert.deepEqual(m.swapdb.build(0, 1), ['SWAPDB', 0, 1]);
    assert.throws(() => m.swapdb.build(0, bad('1')), /SWAPDB: index2 must be an integer/);
    assert.deepEqual(m.bgsave.build({ schedule: true }), ['BGSAVE', 'SCHEDULE']);
  });

  it('builds the introspection commands, COMMANDLOG (Valkey 8.1) and MODULE', () => {
    assert.deepEqual(m.info.build(), ['INFO']);
    assert.deepEqual(m.info.build('server', 'clients'), ['INFO', 'server', 'clients']);
    assert.throws(() => m.info.build(bad(1)), /INFO: section must be/);
    assert.deepEqual(m.lolwut.build({ version: 5 }), ['LOLWUT', 'VERSION', 5]);
    assert.deepEqual(m.latencyReset.build(), ['LATENCY', 'RESET']);
    assert.deepEqual(m.latencyHistogram.build('get', 'set'), ['LATENCY', 'HISTOGRAM', 'get', 'set']);
    assert.deepEqual(m.memoryUsage.build('k', { samples: 0 }), ['MEMORY', 'USAGE', 'k', 'SAMPLES', 0]);
    assert.throws(() => m.memoryUsage.build(bad(3)), /MEMORY USAGE: key must be/);
    assert.deepEqual(m.slowlogGet.build(), ['SLOWLOG', 'GET']);
    assert.deepEqual(m.slowlogGet.build(-1), ['SLOWLOG', 'GET', -1]);
    assert.deepEqual(m.commandlogGet.build(10, 'large-reply'), ['COMMANDLOG', 'GET', 10, 'large-reply']);
    assert.deepEqual(m.commandlogLen.build('slow'), ['COMMANDLOG', 'LEN', 'slow']);
    assert.deepEqual(m.commandlogReset.build('large-request'), ['COMMANDLOG', 'RESET', 'large-request']);
    assert.deepEqual(m.commandlogHelp.build(), ['COMMANDLOG', 'HELP']);
    assert.throws(() => m.commandlogGet.build(10, bad('fast')), /COMMANDLOG GET: type must be one of SLOW, LARGE-REQUEST, LARGE-REPLY/);
    assert.deepEqual(m.moduleLoad.build('/m.so', 'a', 1), ['MODULE', 'LOAD', '/m.so', 'a', 1]);
    assert.deepEqual(m.moduleLoadex.build('/m.so', { config: { c1: 'v', c2: 2 }, args: ['x', 3] }), [
      'MODULE', 'LOADEX', '/m.so', 'CONFIG', 'c1', 'v', 'CONFIG', 'c2', 2, 'ARGS', 'x', 3,
    ]);
    assert.throws(() => m.moduleLoadex.build('/m.so', bad({ args: 'x' })), /MODULE LOADEX: args must be an array/);
  });
});

// The harness servers persist nothing by default; BGSAVE and friends write into their private dirs.
commandSuite('server commands', (t) => {
  it('ACL SETUSER, GETUSER, LIST, USERS, WHOAMI, DRYRUN, DELUSER, CAT, GENPASS', async () => {
    await t.both(async (c) => {
      assert.equal(await c.aclSetuser('tuser', 'on', '>tpass', '~k*', '+get', '+ping'), 'OK');
      const user = (await c.aclGetuser('tuser'))!;
      assert.ok(user.flags.includes('on'));
      assert.equal(user.passwords.length, 1);
      assert.match(user.commands, /\+get/);
      assert.equal(user.keys, '~k*');
      assert.deepEqual(user.selectors, []);
      assert.equal(await c.aclGetuser('nobody'), null);
      assert.ok((await c.aclUsers()).includes('tuser'));
      assert.ok((await c.aclList()).some((l) => l.startsWith('user tuser on')));
      assert.equal(await c.aclWhoami(), 'default');
      assert.equal(await c.aclDryrun('tuser', 'get', 'k1'), 'OK');
      const refusal = await c.aclDryrun('tuser', 'set', 'k1', 'v');
      assert.match(refusal, /no permissions to run the 'set' command/);
      assert.equal(await c.aclDeluser('tuser', 'nobody'), 1);
      const cats = await c.aclCat();
      assert.ok(cats.includes('keyspace') && cats.includes('string'));
      assert.ok((await c.aclCat('string')).includes('get'));
      assert.match(await c.aclGenpass(), /^[0-9a-f]{64}$/);
      assert.match(await c.aclGenpass(32), /^[0-9a-f]{8}$/);
      return { user: { ...user, passwords: user.passwords.length }, refusal };
    });
  });

  it('ACL LOG records refused logins; ACL LOG RESET clears it', async () => {
    await t.both(async (c, protocol) => {
      assert.equal(await c.aclLogReset(), 'OK');
      await c.aclSetuser('loguser', 'on', '>right', '+@all', '~*');
      const other = await createClient({ port: t.server().port, protocol }).connect();
      try {
        await assert.rejects(other.auth('loguser', 'wrong'), ResponseError);
      } finally {
        other.disconnect();
      }
      const [entry] = await c.aclLog(1);
      await c.aclDeluser('loguser');
      assert.ok(entry);
      assert.equal(entry.reason, 'auth');
      assert.equal(entry.username, 'loguser');
      assert.equal(entry.count, 1);
      assert.ok(entry.ageSeconds >= 0 && entry.ageSeconds < 60);
      assert.equal(typeof entry.clientInfo['id'], 'number');
      assert.equal(entry.clientInfo['cmd'], 'auth');
      assert.equal(await c.aclLogReset(), 'OK');
      assert.deepEqual(await c.aclLog(), []);
      return { reason: entry.reason, context: entry.context, object: entry.object, username: entry.username };
    });
  });

  it('ACL SAVE and ACL LOAD with an ACL file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'redwire-acl-'));
    const file = path.join(dir, 'users.acl');
    writeFileSync(file, 'user default on nopass ~* &* +@all\n');
    const server = await startServer({ kind: t.kind, args: ['--aclfile', file] });
    try {
      await using c = await createClient({ port: server.port }).connect();
      await c.aclSetuser('saved', 'on', '>pw', '+get');
      assert.equal(await c.aclSave(), 'OK');
      await c.aclDeluser('saved');
      assert.equal(await c.aclLoad(), 'OK');
      assert.ok((await c.aclUsers()).includes('saved'));
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('HELP of every container lists its subcommands', async () => {
    const lines = await t.both(async (c) => ({
      acl: await c.aclHelp(),
      command: await c.commandHelp(),
      config: await c.configHelp(),
      latency: await c.latencyHelp(),
      memory: await c.memoryHelp(),
      module: await c.moduleHelp(),
      slowlog: await c.slowlogHelp(),
    }));
    for (const [name, help] of Object.entries(lines)) {
      assert.ok(help.length > 3, name);
      assert.ok(help.every((l) => typeof l === 'string'));
      assert.match(help[0]!, new RegExp(name, 'i'));
    }
  });

  it('COMMAND, COMMAND COUNT and COMMAND INFO give typed records', async () => {
    const all = await t.both(async (c) => c.command());
    assert.equal(all.length, await t.client(3).commandCount());
    const get = all.find((x) => x.name === 'get')!;
    assert.equal(get.arity, 2);
    assert.ok(get.flags.includes('readonly'));
    assert.deepEqual([get.firstKey, get.lastKey, get.step], [1, 1, 1]);
    assert.ok(get.aclCategories.includes('@string'));
    assert.deepEqual(get.keySpecs[0]!.begin_search, { type: 'index', spec: { index: 1 } });
    assert.equal(get.keySpecs[0]!.find_keys.type, 'range');
    const client = all.find((x) => x.name === 'client')!;
    assert.ok(client.subcommands.some((s) => s.name === 'client|list' && s.tips.includes('nondeterministic_output')));

    const info = await t.both(async (c) => c.commandInfo('set', 'no-such-command'));
    assert.equal(info[0]!.name, 'set');
    assert.equal(info[0]!.arity, -3);
    assert.equal(info[1], null);
    assert.deepEqual(await t.client(2).withBuffers().commandInfo('set'), [info[0]]);
  });

  it('COMMAND DOCS: every command documented the same way under both protocols', async () => {
    const docs = await t.both(async (c) => c.commandDocs());
    const set = docs['set']!;
    assert.equal(set.group, 'string');
    assert.equal(typeof set.summary, 'string');
    assert.ok(set.history!.every((h) => h.length === 2 && typeof h[0] === 'string'));
    const key = set.arguments![0]!;
    assert.deepEqual([key.name, key.type, key.key_spec_index], ['key', 'key', 0]);
    const condition = set.arguments!.find((a) => a.name === 'condition')!;
    assert.equal(condition.type, 'oneof');
    assert.ok(condition.arguments!.some((a) => a.token === 'NX'));
    assert.ok(docs['client']!.subcommands!['client|list']!.arguments!.length > 0);
    const some = await t.both(async (c) => c.commandDocs('get', 'no-such-command'));
    assert.deepEqual(Object.keys(some), ['get']);
    assert.deepEqual(await t.client(3).withBuffers().commandDocs('get'), some);
  });

  it('COMMAND GETKEYS, GETKEYSANDFLAGS and LIST', async () => {
    await t.both(async (c) => {
      assert.deepEqual(await c.commandGetkeys('mset', 'a', 1, 'b', 2), ['a', 'b']);
      const withFlags = await c.commandGetkeysandflags('lmove', 'src', 'dst', 'LEFT', 'RIGHT');
      assert.deepEqual(withFlags.map((x) => x.key), ['src', 'dst']);
      assert.ok(withFlags[0]!.flags.includes('RW'));
      const list = await c.commandList();
      assert.ok(list.includes('get') && list.includes('lpush'));
      assert.deepEqual((await c.commandList({ filterby: { pattern: 'xa*' } })).sort(), ['xack', 'xadd', 'xautoclaim']);
      assert.ok((await c.commandList({ filterby: { aclcat: 'hyperloglog' } })).includes('pfadd'));
      assert.deepEqual(await c.commandList({ filterby: { module: 'no-such-module' } }), []);
      return withFlags;
    });
    const keys = await t.client(2).withBuffers().commandGetkeys('get', 'bk');
    assert.deepEqual(keys, [Buffer.from('bk')]);
  });

  it('CONFIG GET, SET (one or many), RESETSTAT, REWRITE', async () => {
    await t.both(async (c) => {
      assert.deepEqual(await c.configGet('maxmemory-policy', 'maxmemory'), { 'maxmemory-policy': 'noeviction', maxmemory: '0' });
      assert.equal(await c.configSet('maxmemory-samples', 7), 'OK');
      assert.deepEqual(await c.configGet('maxmemory-samples'), { 'maxmemory-samples': '7' });
      assert.equal(await c.configSet({ 'maxmemory-samples': 5, 'slowlog-max-len': 200 }), 'OK');
      assert.deepEqual(await c.configGet('maxmemory-samples', 'slowlog-max-len'), { 'maxmemory-samples': '5', 'slowlog-max-len': '200' });
      assert.equal(await c.configSet([['slowlog-max-len', 128]]), 'OK');
      assert.equal(await c.configResetstat(), 'OK');
      assert.equal(await c.configRewrite(), 'OK');
      return c.configGet('slowlog-*');
    });
    assert.deepEqual(await t.client(3).withBuffers().configGet('maxmemory-policy'), { 'maxmemory-policy': 'noeviction' });
  });

  it('DBSIZE, FLUSHDB, FLUSHALL, SWAPDB', async () => {
    await t.both(async (c) => {
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '2');
      assert.equal(await c.dbsize(), 2);
      assert.equal(await c.swapdb(0, 1), 'OK');
      assert.equal(await c.dbsize(), 0);
      assert.equal(await c.swapdb(1, 0), 'OK');
      assert.equal(await c.dbsize(), 2);
      assert.equal(await c.flushdb('SYNC'), 'OK');
      assert.equal(await c.dbsize(), 0);
      await c.call('SET', 'a', '1');
      assert.equal(await c.flushdb(), 'OK');
      await c.call('SET', 'a', '1');
      assert.equal(await c.flushall('ASYNC'), 'OK');
      await until('FLUSHALL ASYNC', async () => (await c.dbsize()) === 0);
      assert.equal(await c.flushall(), 'OK');
      return c.dbsize();
    });
  });

  it('SAVE, LASTSAVE, BGSAVE, BGREWRITEAOF', async () => {
    await t.both(async (c) => {
      await until('persistence to settle', () => persistenceIdle(c));
      assert.equal(await c.save(), 'OK');
      const last = await c.lastsave();
      assert.ok(Math.abs(last - Date.now() / 1000) < 60, `lastsave ${last}`);
      assert.match(await c.bgsave(), /^Background saving (started|scheduled)/);
      await until('BGSAVE', () => persistenceIdle(c));
      assert.match(await c.bgsave({ schedule: true }), /^Background saving (started|scheduled)/);
      await until('BGSAVE SCHEDULE', () => persistenceIdle(c));
      assert.match(await c.bgrewriteaof(), /^Background append only file rewriting (started|scheduled)/);
      await until('BGREWRITEAOF', () => persistenceIdle(c));
      return typeof last;
    });
  });

  it('INFO, TIME, LOLWUT', async () => {
    await t.both(async (c) => {
      const info = await c.info();
      assert.equal(info['server']!['tcp_port'], t.server().port);
      const two = await c.info('server', 'clients');
      assert.deepEqual(Object.keys(two), ['server', 'clients']);
      const time = await c.time();
      assert.ok(Math.abs(time.seconds - Date.now() / 1000) < 60);
      assert.ok(Number.isInteger(time.microseconds) && time.microseconds < 1_000_000);
      assert.match(await c.lolwut(), /ver\./);
      assert.match(await c.lolwut({ version: 5 }), /ver\./);
      return { version: two['server']!['redis_version'], sections: Object.keys(info).includes('keyspace') };
    });
  });

  it('ROLE of a primary; FAILOVER ABORT without a failover is refused', async () => {
    const role = await t.both(async (c) => {
      const r = await c.role();
      assert.equal(r.role, 'master');
      return r.role === 'master' ? { role: r.role, replicas: r.replicas } : r;
    });
    assert.deepEqual(role, { role: 'master', replicas: [] });
    await assert.rejects(t.client(3).failover({ abort: true }), /No failover in progress/);
  });

  it('REPLICAOF, SLAVEOF, ROLE of both sides and FAILOVER on servers of their own', async () => {
    // Without the diskless-sync delay (5 s by default) a replica syncs at once.
    const fast = ['--repl-diskless-sync-delay', '0'];
    const [primary, replica] = await Promise.all([startServer({ kind: t.kind, args: fast }), startServer({ kind: t.kind, args: fast })]);
    const p = await createClient({ port: primary.port, protocol: 3 }).connect();
    const r = await createClient({ port: replica.port, protocol: 2 }).connect();
    try {
      assert.equal(await r.replicaof('127.0.0.1', primary.port), 'OK');
      await until('the replica to sync', async () => {
        const role = await r.role();
        return role.role === 'replica' && role.state === 'connected';
      });
      const rr = await r.role();
      assert.deepEqual(
        rr.role === 'replica' && { host: rr.masterHost, port: rr.masterPort, state: rr.state, offset: typeof rr.replicationOffset },
        { host: '127.0.0.1', port: primary.port, state: 'connected', offset: 'number' },
      );
      await until('the primary to list its replica', async () => {
        const role = await p.role();
        return role.role === 'master' && role.replicas.length === 1;
      });
      const pr = await p.role();
      assert.ok(pr.role === 'master' && pr.replicas[0]!.port === replica.port && pr.replicas[0]!.host === '127.0.0.1');
      assert.equal(await p.failover({ timeout: 5000 }), 'OK');
      await until('the failover', async () => (await p.role()).role === 'replica' && (await r.role()).role === 'master', 15_000);
      assert.equal(await p.replicaof('NO', 'ONE'), 'OK');
      assert.equal((await p.role()).role, 'master');
      assert.equal(await r.slaveof('127.0.0.1', primary.port), 'OK');
      assert.equal((await r.role()).role, 'replica');
      assert.equal(await r.slaveof('NO', 'ONE'), 'OK');
      assert.equal((await r.role()).role, 'master');
    } finally {
      p.disconnect();
      r.disconnect();
      await Promise.all([primary.stop(), replica.stop()]);
    }
  });

  it('SHUTDOWN ABORT without a shutdown is refused; SHUTDOWN NOSAVE stops a server of its own', async () => {
    await assert.rejects(t.client(2).shutdown({ abort: true }), /No shutdown in progress/);
    const server: RedisServer = await startServer({ kind: t.kind });
    try {
      const c = await createClient({ port: server.port, reconnect: false }).connect();
      await assert.rejects(c.shutdown({ nosave: true, now: true }), ConnectionError);
      c.disconnect();
      await assert.rejects(createClient({ port: server.port, reconnect: false, connectTimeout: 1000 }).connect(), ConnectionError);
    } finally {
      await server.stop();
    }
  });

  it('LATENCY LATEST, HISTORY, GRAPH, DOCTOR, RESET and HISTOGRAM', async () => {
    await t.both(async (c) => {
      await c.configSet('latency-monitor-threshold', 1);
      try {
        await c.latencyReset();
        await c.call('DEBUG', 'SLEEP', '0.02');
        const [latest] = await c.latencyLatest();
        assert.equal(latest!.event, 'command');
        assert.ok(latest!.latest >= 15 && latest!.max >= latest!.latest, JSON.stringify(latest));
        assert.ok(Math.abs(latest!.timestamp - Date.now() / 1000) < 60);
        const history = await c.latencyHistory('command');
        assert.equal(history.length, 1);
        assert.ok(history[0]!.latency >= 15);
        assert.match(await c.latencyGraph('command'), /command/);
        assert.equal(typeof (await c.latencyDoctor()), 'string');
        assert.equal(await c.latencyReset('command', 'no-such-event'), 1);
        assert.deepEqual(await c.latencyLatest(), []);
        await c.call('SET', 'hk', 'v');
        const hist = await c.latencyHistogram('set', 'no-such-command');
        assert.deepEqual(Object.keys(hist), ['set']);
        assert.ok(hist['set']!.calls >= 1);
        const buckets = Object.values(hist['set']!.histogram_usec);
        assert.ok(buckets.length > 0 && buckets.every((n) => typeof n === 'number'));
        const all = await c.latencyHistogram();
        assert.ok('set' in all && 'latency|histogram' in all);
        return { event: latest!.event, historyLength: history.length, histogram: Object.keys(hist) };
      } finally {
        await c.configSet('latency-monitor-threshold', 0);
      }
    });
  });

  it('MEMORY STATS, USAGE, DOCTOR, MALLOC-STATS, PURGE', async () => {
    await t.both(async (c) => {
      await c.call('SET', 'mk', 'x'.repeat(100));
      const stats: MemoryStats = await c.memoryStats();
      assert.equal(typeof stats['peak.allocated'], 'number');
      assert.equal(typeof stats['dataset.percentage'], 'number');
      const db0 = stats['db.0'] as Record<string, number>;
      assert.equal(typeof db0['overhead.hashtable.main'], 'number');
      for (const v of Object.values(stats)) {
        assert.ok(typeof v === 'number' || Object.values(v).every((n) => typeof n === 'number'));
      }
      const usage = (await c.memoryUsage('mk'))!;
      assert.ok(usage > 100);
      assert.equal(await c.memoryUsage('mk', { samples: 0 }), usage);
      assert.equal(await c.memoryUsage('missing'), null);
      assert.equal(typeof (await c.memoryDoctor()), 'string');
      assert.ok((await c.memoryMallocStats()).length > 0);
      assert.equal(await c.memoryPurge(), 'OK');
      return { keys: Object.keys(stats).includes('keys.count'), usage };
    });
  });

  it('SLOWLOG GET, LEN, RESET give typed entries', async () => {
    await t.both(async (c) => {
      await c.configSet('slowlog-log-slower-than', 0);
      try {
        assert.equal(await c.slowlogReset(), 'OK');
        await c.clientSetname('slow-one');
        await c.echo('logged');
        const entries = await c.slowlogGet(-1);
        const entry = entries.find((e) => e.args[0] === 'ECHO')!;
        assert.deepEqual(entry.args, ['ECHO', 'logged']);
        assert.equal(typeof entry.id, 'number');
        assert.ok(entry.duration >= 0);
        assert.ok(Math.abs(entry.timestamp - Date.now() / 1000) < 60);
        assert.match(entry.clientAddress, /^127\.0\.0\.1:\d+$/);
        assert.equal(entry.clientName, 'slow-one');
        assert.ok((await c.slowlogLen()) >= 2);
        assert.equal((await c.slowlogGet(1)).length, 1);
        const [buf] = await c.withBuffers().slowlogGet(1);
        assert.ok(Buffer.isBuffer(buf!.args[0]));
        return { args: entry.args, name: entry.clientName };
      } finally {
        await c.configSet('slowlog-log-slower-than', 10000);
      }
    });
  });

  it('MODULE LIST, LOAD, LOADEX, UNLOAD', async () => {
    await t.both(async (c) => {
      assert.deepEqual(await c.moduleList(), []);
      await assert.rejects(c.moduleLoad('/nonexistent/module.so', 'arg'), ResponseError);
      await assert.rejects(c.moduleLoadex('/nonexistent/module.so', { config: { a: 1 }, args: ['x'] }), ResponseError);
      await assert.rejects(c.moduleUnload('no-such-module'), /not loaded|no such module/i);
      return c.moduleList();
    });
  });

  it('COMMANDLOG is Valkey 8.1+: older servers refuse it as unknown', async () => {
    await assert.rejects(t.client(3).commandlogLen('slow'), ResponseError);
    await assert.rejects(t.client(2).commandlogGet(1, 'slow'), ResponseError);
    await assert.rejects(t.client(2).commandlogReset('large-reply'), ResponseError);
    await assert.rejects(t.client(2).commandlogHelp(), ResponseError);
  });

  it('server-made text stays text in a withBuffers() view', async () => {
    for (const protocol of [2, 3] as const) {
      const c = t.client(protocol);
      const b = c.withBuffers();
      assert.equal(await b.aclWhoami(), 'default');
      assert.deepEqual(await b.aclUsers(), await c.aclUsers());
      assert.deepEqual(await b.aclList(), await c.aclList());
      assert.deepEqual(await b.aclCat(), await c.aclCat());
      assert.deepEqual(await b.aclGetuser('default'), await c.aclGetuser('default'));
      assert.equal(typeof (await b.aclGenpass()), 'string');
      assert.equal(typeof (await b.aclDryrun('default', 'get', 'k')), 'string');
      assert.deepEqual(await b.commandList({ filterby: { pattern: 'xa*' } }), await c.commandList({ filterby: { pattern: 'xa*' } }));
      assert.deepEqual(await b.configGet('maxmemory*'), await c.configGet('maxmemory*'));
      assert.deepEqual((await b.info('server'))['server']!['redis_version'], (await c.info('server'))['server']!['redis_version']);
      assert.deepEqual(await b.role(), await c.role());
      assert.equal(typeof (await b.lolwut()), 'string');
      assert.equal(typeof (await b.latencyDoctor()), 'string');
      assert.equal(typeof (await b.memoryDoctor()), 'string');
      assert.equal(typeof (await b.memoryMallocStats()), 'string');
      assert.equal(typeof (await b.time()).seconds, 'number');
      assert.deepEqual(Object.keys(await b.memoryStats()), Object.keys(await c.memoryStats()));
      assert.ok((await b.configHelp()).every((l) => typeof l === 'string'));
    }
  });

  it('refuses bad arguments before sending anything', async () => {
    const c = t.client(3);
    await assert.rejects(c.configGet(bad(1)), DataError);
    await assert.rejects(c.memoryUsage(bad(null)), /MEMORY USAGE: key must be a string or Buffer, got null/);
    await assert.rejects(c.swapdb(bad('0'), 1), /SWAPDB: index1 must be an integer/);
    await assert.rejects(c.lolwut(bad({ version: 'x' })), /LOLWUT: version must be an integer/);
  });
}, { args: ['--enable-module-command', 'yes'] });
