import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandKeys,
  createClient,
  DataError,
  NoScriptError,
  ResponseError,
  type RedisClient,
} from '../../src/index.js';
import { COMMANDS, EXCLUDED, IMPLEMENTED } from '../../src/commands/registry.js';
import { Flag } from '../../src/commands/command.js';
import { scriptingMethods } from '../../src/commands/scripting.js';
import { commandSuite } from './helpers.js';

const LIB = "#!lua name=mylib\nredis.register_function('f', function(keys, args) return args[1] end)";
const LIB_FULL = [
  '#!lua name=mylib',
  "redis.register_function('f', function(keys, args) return args[1] end)",
  "redis.register_function{function_name='getkey', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads a key'}",
  "redis.register_function('setkey', function(keys, args) return redis.call('SET', keys[1], args[1]) end)",
].join('\n');
const BUSY_LIB = "#!lua name=busylib\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}";

/** Scripts and functions outlive FLUSHALL: each run starts from none. */
async function resetScripts(c: RedisClient): Promise<void> {
  await c.scriptFlush('SYNC');
  await c.functionFlush('SYNC');
}

/**
 * Calls `kill` until it finds the script started on `runner` running: the kill may reach the server
 * before the script does (NOTBUSY), so it is retried for a short while.
 */
async function killWhenBusy(kill: () => Promise<'OK'>): Promise<'OK'> {
  for (let i = 0; ; i++) {
    try {
      return await kill();
    } catch (e) {
      if (!(e instanceof ResponseError) || !/NOTBUSY/.test(e.message) || i >= 200) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

commandSuite(
  'scripting commands',
  (t) => {
    it('eval, eval_ro, evalsha and evalsha_ro run scripts with their keys and arguments', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        const echo = 'return {KEYS[1], ARGV[1], #KEYS, #ARGV}';
        const sha = await c.scriptLoad(echo);
        return {
          sha,
          eval: await c.eval(echo, ['k1', 'k2'], ['a1', 2, Buffer.from('x')]),
          noKeys: await c.eval<number>('return 42'),
          writes: await c.eval("return redis.call('SET', KEYS[1], ARGV[1])", ['w'], ['v']),
          status: await c.eval("return redis.status_reply('FINE')"),
          nil: await c.eval('return nil'),
          readOnly: await c.eval_ro("return redis.call('GET', KEYS[1])", ['w']),
          evalsha: await c.evalsha(sha, ['k'], ['a']),
          evalshaRo: await c.evalsha_ro(sha, ['rk'], ['only']),
          refusedWrite: await c.eval_ro("return redis.call('SET', KEYS[1], 'x')", ['w']).catch((e: Error) => e instanceof ResponseError),
          missing: await c.evalsha('ffffffffffffffffffffffffffffffffffffffff').catch((e: Error) => e instanceof NoScriptError),
          failing: await c.eval("return redis.error_reply('MYERR bad')").then(String, (e: Error) => e.message),
        };
      });
      assert.match(r.sha, /^[0-9a-f]{40}$/);
      assert.deepEqual(r.eval, ['k1', 'a1', 2, 3]);
      assert.equal(r.noKeys, 42);
      assert.equal(r.writes, 'OK');
      assert.equal(r.status, 'FINE');
      assert.equal(r.nil, null);
      assert.equal(r.readOnly, 'v');
      assert.deepEqual(r.evalsha, ['k', 'a', 1, 1]);
      assert.deepEqual(r.evalshaRo, ['rk', 'only', 1, 1]);
      assert.equal(r.refusedWrite, true);
      assert.equal(r.missing, true);
      assert.match(r.failing, /MYERR bad/);
    });

    it('scriptExists, scriptLoad and scriptFlush manage the script cache', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        const sha = await c.scriptLoad('return 1');
        const before = await c.scriptExists(sha, 'ffffffffffffffffffffffffffffffffffffffff');
        const flushed = await c.scriptFlush();
        const afterFlush = await c.scriptExists(sha);
        await c.scriptLoad(Buffer.from('return 1'));
        const async = await c.scriptFlush('ASYNC');
        return { sha, before, flushed, afterFlush, async };
      });
      assert.equal(r.sha, 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
      assert.deepEqual(r.before, [true, false]);
      assert.equal(r.flushed, 'OK');
      assert.deepEqual(r.afterFlush, [false]);
      assert.equal(r.async, 'OK');
    });

    it('scriptKill stops a busy script', async () => {
      const r = await t.both(async (c) => {
        await using runner = await createClient({ port: t.server().port }).connect();
        const busy = runner.eval('while true do end').catch((e: Error) => e);
        const killed = await killWhenBusy(() => c.scriptKill());
        const outcome = await busy;
        return { killed, outcome: outcome instanceof ResponseError };
      });
      assert.equal(r.killed, 'OK');
      // The killed script's caller gets an error reply.
      assert.equal(r.outcome, true);
      const notBusy = await t.client(2).scriptKill().catch((e: Error) => e.message);
      assert.match(String(notBusy), /NOTBUSY/);
    });

    it('scriptHelp lists the subcommands; scriptShow gives a cached script on Valkey', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        const help = await c.scriptHelp();
        if (t.kind !== 'valkey') return { help, shown: null };
        const sha = await c.scriptLoad('return "shown"');
        return { help, shown: await c.scriptShow(sha) };
      });
      assert.ok(r.help.some((l) => l.includes('EXISTS')));
      assert.equal(r.shown, t.kind === 'valkey' ? 'return "shown"' : null);
    });

    it('functionLoad, fcall and fcall_ro run library functions', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        const name = await c.functionLoad(LIB);
        const duplicate = await c.functionLoad(LIB).catch((e: Error) => e instanceof ResponseError);
        const replaced = await c.functionLoad(LIB_FULL, { replace: true });
        return {
          name,
          duplicate,
          replaced,
          echo: await c.fcall('f', [], ['hello']),
          set: await c.fcall('setkey', ['k'], [5]),
          get: await c.fcall_ro('getkey', ['k']),
          roRefusesWriter: await c.fcall_ro('setkey', ['k'], ['x']).catch((e: Error) => e instanceof ResponseError),
          missing: await c.fcall('nope').catch((e: Error) => e instanceof ResponseError),
        };
      });
      assert.deepEqual(r, {
        name: 'mylib',
        duplicate: true,
        replaced: 'mylib',
        echo: 'hello',
        set: 'OK',
        get: '5',
        roRefusesWriter: true,
        missing: true,
      });
    });

    it('functionList gives typed library records, with code on request', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        await c.functionLoad(LIB_FULL);
        await c.functionLoad(LIB.replace('mylib', 'otherlib').replace("'f'", "'h'"));
        return {
          all: await c.functionList(),
          one: await c.functionList({ libraryname: 'my*', withcode: true }),
          none: await c.functionList({ libraryname: 'zzz*' }),
          buffers: await c.withBuffers().functionList({ libraryname: 'other*' }),
        };
      });
      const sortFns = (libs: typeof r.all) =>
        libs.map((l) => ({ ...l, functions: [...l.functions].sort((a, b) => a.name.localeCompare(b.name)) })).sort((a, b) => a.libraryName.localeCompare(b.libraryName));
      assert.deepEqual(sortFns(r.all), [
        {
          libraryName: 'mylib',
          engine: 'LUA',
          functions: [
            { name: 'f', description: null, flags: [] },
            { name: 'getkey', description: 'reads a key', flags: ['no-writes'] },
            { name: 'setkey', description: null, flags: [] },
          ],
        },
        { libraryName: 'otherlib', engine: 'LUA', functions: [{ name: 'h', description: null, flags: [] }] },
      ]);
      assert.equal(r.one.length, 1);
      assert.equal(r.one[0]!.libraryCode, LIB_FULL);
      assert.deepEqual(r.none, []);
      assert.deepEqual(r.buffers, [{ libraryName: 'otherlib', engine: 'LUA', functions: [{ name: 'h', description: null, flags: [] }] }]);
    });

    it('functionStats gives engines, and the running function while one runs; functionKill stops it', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        await c.functionLoad(LIB);
        await c.functionLoad(BUSY_LIB);
        const idle = await c.functionStats();
        await using runner = await createClient({ port: t.server().port }).connect();
        const busy = runner.fcall('spin', ['somekey'], ['arg']).catch((e: Error) => e);
        // FUNCTION STATS may run while a function is busy; wait until it reports one.
        let running = await c.functionStats();
        for (let i = 0; running.runningScript === null && i < 200; i++) {
          await new Promise((res) => setTimeout(res, 5));
          running = await c.functionStats();
        }
        const killed = await killWhenBusy(() => c.functionKill());
        const outcome = await busy;
        const script = running.runningScript;
        return {
          idle,
          running: script === null ? null : { name: script.name, command: script.command, durationIsNumber: typeof script.durationMs === 'number' },
          killed,
          outcome: outcome instanceof ResponseError,
        };
      });
      assert.deepEqual(r.idle, { runningScript: null, engines: { LUA: { librariesCount: 2, functionsCount: 2 } } });
      assert.deepEqual(r.running, { name: 'spin', command: ['FCALL', 'spin', '1', 'somekey', 'arg'], durationIsNumber: true });
      assert.equal(r.killed, 'OK');
      assert.equal(r.outcome, true);
    });

    it('functionDump and functionRestore round-trip the libraries through withBuffers()', async () => {
      const r = await t.both(async (c) => {
        await resetScripts(c);
        await c.functionLoad(LIB);
        const dump = await c.withBuffers().functionDump();
        assert.ok(Buffer.isBuffer(dump));
        const flushed = await c.functionFlush();
        const empty = await c.functionList();
        const restored = await c.functionRestore(dump);
        const echo = await c.fcall('f', [], ['back']);
        const collision = await c.functionRestore(dump, 'APPEND').catch((e: Error) => e instanceof ResponseError);
        const replaced = await c.functionRestore(dump, 'REPLACE');
        await c.functionLoad(LIB.replace('mylib', 'extra').replace("'f'", "'g'"));
        const flushedByRestore = await c.functionRestore(dump, 'FLUSH');
        const names = (await c.functionList()).map((l) => l.libraryName);
        const deleted = await c.functionDelete('mylib');
        const deleteMissing = await c.functionDelete(Buffer.from('mylib')).catch((e: Error) => e instanceof ResponseError);
        const flushAsync = await c.functionFlush('ASYNC');
        return { flushed, empty, restored, echo, collision, replaced, flushedByRestore, names, deleted, deleteMissing, flushAsync };
      });
      assert.deepEqual(r, {
        flushed: 'OK',
        empty: [],
        restored: 'OK',
        echo: 'back',
        collision: true,
        replaced: 'OK',
        flushedByRestore: 'OK',
        names: ['mylib'],
        deleted: 'OK',
        deleteMissing: true,
        flushAsync: 'OK',
      });
    });

    it('functionHelp lists the subcommands', async () => {
      const help = await t.both((c) => c.functionHelp());
      assert.ok(help.some((l) => l.includes('RESTORE')));
    });

    it('refuses bad arguments with DataError before sending', async () => {
      const c = t.client(3) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const bad: Array<[string, unknown[], RegExp]> = [
        ['eval', [1], /EVAL: script/],
        ['eval', ['return 1', 'k'], /EVAL: keys must be an array/],
        ['eval', ['return 1', [1]], /EVAL: key/],
        ['eval', ['return 1', [], 'a'], /EVAL: args must be an array/],
        ['eval', ['return 1', [], [{}]], /EVAL: arg/],
        ['evalsha', [undefined], /EVALSHA: sha1/],
        ['eval_ro', [null], /EVAL_RO: script/],
        ['evalsha_ro', ['abc', ['k'], [null]], /EVALSHA_RO: arg/],
        ['fcall', [5], /FCALL: function/],
        ['fcall_ro', ['f', [Symbol.iterator]], /FCALL_RO: key/],
        ['functionDelete', [1], /FUNCTION DELETE: libraryName/],
        ['functionFlush', ['NOW'], /FUNCTION FLUSH: mode/],
        ['functionList', [{ libraryname: 5 }], /FUNCTION LIST: libraryname/],
        ['functionList', ['my*'], /FUNCTION LIST: options/],
        ['functionLoad', [{}], /FUNCTION LOAD: code/],
        ['functionRestore', [Buffer.from('x'), 'MERGE'], /FUNCTION RESTORE: policy/],
        ['functionRestore', [5], /FUNCTION RESTORE: payload/],
        ['scriptExists', [], /SCRIPT EXISTS: at least one/],
        ['scriptExists', [1], /SCRIPT EXISTS: sha1/],
        ['scriptFlush', ['sync'], /SCRIPT FLUSH: mode/],
        ['scriptLoad', [undefined], /SCRIPT LOAD: script/],
        ['scriptShow', [[]], /SCRIPT SHOW: sha1/],
      ];
      for (const [name, args, message] of bad) {
        await assert.rejects(c[name]!(...args), (e: unknown) => e instanceof DataError && message.test((e as Error).message), name);
      }
    });
  },
  // A busy script lets other clients in (for SCRIPT KILL, FUNCTION KILL/STATS) after this long.
  { args: ['--busy-reply-threshold', '20'] },
);

describe('scripting commands without a server', () => {
  it('build EVAL-style argv with numkeys, and find the keys by it', () => {
    const m = scriptingMethods;
    const argv = m.eval.build('return 1', ['k1', Buffer.from('k2')], ['a', 1]);
    assert.deepEqual(argv, ['EVAL', 'return 1', 2, 'k1', Buffer.from('k2'), 'a', 1]);
    assert.deepEqual(commandKeys(argv), ['k1', Buffer.from('k2')]);
    assert.deepEqual(m.evalsha.build('abc'), ['EVALSHA', 'abc', 0]);
    assert.deepEqual(commandKeys(m.evalsha.build('abc', [], ['a'])), []);
    assert.deepEqual(m.fcall_ro.build('f', ['k']), ['FCALL_RO', 'f', 1, 'k']);
    assert.deepEqual(commandKeys(['FCALL', 'f', '2', 'a', 'b', 'c']), ['a', 'b']);
    assert.deepEqual(commandKeys(['EVAL', 's', 'x', 'a']), []);
  });

  it('build the SCRIPT and FUNCTION argv', () => {
    const m = scriptingMethods;
    assert.deepEqual(m.functionLoad.build('code', { replace: true }), ['FUNCTION', 'LOAD', 'REPLACE', 'code']);
    assert.deepEqual(m.functionLoad.build('code'), ['FUNCTION', 'LOAD', 'code']);
    assert.deepEqual(m.functionList.build({ libraryname: 'a*', withcode: true }), ['FUNCTION', 'LIST', 'LIBRARYNAME', 'a*', 'WITHCODE']);
    assert.deepEqual(m.functionList.build(), ['FUNCTION', 'LIST']);
    assert.deepEqual(m.functionRestore.build(Buffer.from('p'), 'FLUSH'), ['FUNCTION', 'RESTORE', Buffer.from('p'), 'FLUSH']);
    assert.deepEqual(m.functionFlush.build('SYNC'), ['FUNCTION', 'FLUSH', 'SYNC']);
    assert.deepEqual(m.scriptFlush.build(), ['SCRIPT', 'FLUSH']);
    assert.deepEqual(m.scriptExists.build('a', 'b'), ['SCRIPT', 'EXISTS', 'a', 'b']);
    assert.deepEqual(m.scriptShow.build('abc'), ['SCRIPT', 'SHOW', 'abc']);
  });

  it('read FUNCTION STATS with a running function under both protocols', () => {
    const transform = scriptingMethods.functionStats.transform!;
    const expected = {
      runningScript: { name: 'spin', command: ['fcall', 'spin', '0'], durationMs: 12 },
      engines: { LUA: { librariesCount: 1, functionsCount: 1 } },
    };
    const resp2 = [
      'running_script',
      ['name', 'spin', 'command', ['fcall', 'spin', '0'], 'duration_ms', 12],
      'engines',
      ['LUA', ['libraries_count', 1, 'functions_count', 1]],
    ];
    const resp3 = {
      running_script: { name: Buffer.from('spin'), command: [Buffer.from('fcall'), 'spin', '0'], duration_ms: 12 },
      engines: { LUA: { libraries_count: 1, functions_count: 1 } },
    };
    assert.deepEqual(transform(resp2), expected);
    assert.deepEqual(transform(resp3), expected);
  });

  it('register SCRIPT DEBUG as excluded, with its reason', () => {
    assert.match(EXCLUDED.get('script|debug') ?? '', /debugger/);
    assert.ok(!IMPLEMENTED.has('script|debug'));
    assert.equal((COMMANDS.get('eval_ro')!.flags & Flag.READONLY) !== 0, true);
  });
});

describe('transaction commands', () => {
  it('are known to the table (flags, WATCH keys) but left to multi() / transaction()', () => {
    for (const id of ['multi', 'exec', 'discard', 'watch', 'unwatch']) {
      assert.match(EXCLUDED.get(id) ?? '', /multi\(\) or transaction/, id);
      assert.ok(!IMPLEMENTED.has(id), id);
      assert.equal(COMMANDS.get(id)!.flags & (Flag.READONLY | Flag.WRITE | Flag.BLOCKING), 0, id);
    }
    assert.deepEqual(commandKeys(['WATCH', 'a', 'b']), ['a', 'b']);
    assert.deepEqual(commandKeys(['MULTI']), []);
  });
});
