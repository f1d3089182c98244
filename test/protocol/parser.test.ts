// Unit tests of RespParser: every RESP2 and RESP3 type and its edge cases. Every stream here is
// also parsed one byte per chunk and through a reused read buffer (see parseEveryWay).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidResponse,
  MovedError,
  ResponseError,
  UnknownCommandError,
  WrongTypeError,
} from '../../src/errors.js';
import { RespParser, type RespMap, type RespValue } from '../../src/protocol/parser.js';
import { comparable, everyByte, one, parse, parseEveryWay, recorder, replies, toBuffer } from './helpers.js';

function assertInvalid(stream: string | Buffer): void {
  const buf = toBuffer(stream);
  const r = recorder();
  assert.throws(() => r.parser.feed(buf), InvalidResponse);
  // The parser drops its state after a violation, so the next stream starts clean.
  assert.equal(r.parser.midReply, false);
  r.parser.feed(Buffer.from('+after\r\n'));
  assert.deepEqual(r.events.at(-1), { kind: 'reply', value: 'after' });

  // Byte by byte, the feed that completes the bad element throws.
  const r2 = recorder();
  assert.throws(() => {
    for (const c of everyByte(buf)) r2.parser.feed(c);
  }, InvalidResponse);
}

describe('RESP2', () => {
  it('simple strings', () => {
    assert.equal(one('+OK\r\n'), 'OK');
    assert.equal(one('+\r\n'), '');
    assert.equal(one('+héllo wörld ✓\r\n'), 'héllo wörld ✓');
    assert.equal(one('+a simple string longer than sixteen bytes\r\n'), 'a simple string longer than sixteen bytes');
  });

  it('simple errors become ResponseError values, passed to onReply', () => {
    const e = one('-ERR something went wrong\r\n');
    assert.ok(e instanceof ResponseError);
    assert.equal(e.message, 'ERR something went wrong');
    assert.equal(e.code, 'ERR');

    const wrongType = one('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    assert.ok(wrongType instanceof WrongTypeError);
    assert.ok(one("-ERR unknown command 'FOO', with args beginning with: \r\n") instanceof UnknownCommandError);

    const moved = one('-MOVED 3999 127.0.0.1:6381\r\n');
    assert.ok(moved instanceof MovedError);
    assert.deepEqual([moved.slot, moved.host, moved.port], [3999, '127.0.0.1', 6381]);
  });

  it('integers', () => {
    assert.deepEqual(replies(':0\r\n:1000\r\n:-1\r\n:-42\r\n:+7\r\n'), [0, 1000, -1, -42, 7]);
    assert.equal(one(':9007199254740991\r\n'), Number.MAX_SAFE_INTEGER);
    assert.equal(one(':-9007199254740991\r\n'), -Number.MAX_SAFE_INTEGER);
  });

  it('integers beyond 2^53 are numbers rounded once to the nearest double', () => {
    // Integer replies keep one type (number) whatever their size: a reply that is sometimes a
    // bigint would break arithmetic on it in ways that only show with big values. The value is
    // the nearest double to the exact integer, not the result of accumulating rounding errors
    // digit by digit. Exact 64-bit values are what RESP3 big numbers are for.
    for (const text of ['9007199254740993', '9007199254740995', '12345678901234567891', '9223372036854775807', '-9223372036854775808', '-18446744073709551615']) {
      const v = one(`:${text}\r\n`);
      assert.equal(typeof v, 'number');
      assert.equal(v, Number(BigInt(text)), text);
    }
    assert.equal(one(':9007199254740993\r\n'), 9007199254740992);
    assert.equal(one(':-9223372036854775808\r\n'), -(2 ** 63));
  });

  it('bulk strings', () => {
    assert.equal(one('$5\r\nhello\r\n'), 'hello');
    assert.equal(one('$0\r\n\r\n'), '');
    // The length, not a CRLF, ends a bulk string.
    assert.equal(one('$4\r\n\r\n\r\n\r\n'), '\r\n\r\n');
    assert.equal(one('$6\r\n\r\n$1\r\n\r\n'), '\r\n$1\r\n');
    const utf8 = 'żółw 🐢 ünïcödé';
    assert.equal(one(`$${Buffer.byteLength(utf8)}\r\n${utf8}\r\n`), utf8);
    // Around the short-ASCII fast path's limits.
    for (const n of [1, 8, 9, 15, 16, 17, 100]) {
      const s = 'abcdefghijklmnopqrstuvwxyz'.repeat(4).slice(0, n);
      assert.equal(one(`$${n}\r\n${s}\r\n`), s);
      const withAccent = 'é' + s.slice(2);
      assert.equal(one(`$${Buffer.byteLength(withAccent)}\r\n${withAccent}\r\n`), withAccent);
    }
    // Invalid UTF-8 decodes to replacement characters, as Buffer#toString does.
    const bad = Buffer.concat([Buffer.from('$3\r\n'), Buffer.from([0x61, 0xff, 0x62]), Buffer.from('\r\n')]);
    assert.equal(one(bad), Buffer.from([0x61, 0xff, 0x62]).toString('utf8'));
  });

  it('null bulk string and null array', () => {
    assert.equal(one('$-1\r\n'), null);
    assert.equal(one('*-1\r\n'), null);
    assert.deepEqual(one('*3\r\n$-1\r\n*-1\r\n$1\r\nx\r\n'), [null, null, 'x']);
  });

  it('arrays', () => {
    assert.deepEqual(one('*0\r\n'), []);
    assert.deepEqual(one('*2\r\n$3\r\nfoo\r\n$3\r\nbar\r\n'), ['foo', 'bar']);
    assert.deepEqual(one('*3\r\n:1\r\n*2\r\n+a\r\n*0\r\n-ERR x\r\n'), [1, ['a', []], new ResponseError('ERR x')]);
    const mixed = one('*5\r\n:1\r\n:2\r\n:3\r\n:4\r\n$5\r\nhello\r\n');
    assert.deepEqual(mixed, [1, 2, 3, 4, 'hello']);
    const withError = one('*2\r\n-WRONGTYPE nope\r\n:1\r\n') as RespValue[];
    assert.ok(withError[0] instanceof WrongTypeError);
  });

  it('several replies in one chunk arrive in order', () => {
    assert.deepEqual(replies('+OK\r\n:1\r\n$1\r\na\r\n*1\r\n:2\r\n$-1\r\n'), ['OK', 1, 'a', [2], null]);
  });
});

describe('RESP3', () => {
  it('null', () => {
    assert.equal(one('_\r\n'), null);
    assert.deepEqual(one('*2\r\n_\r\n_\r\n'), [null, null]);
  });

  it('booleans', () => {
    assert.deepEqual(replies('#t\r\n#f\r\n'), [true, false]);
  });

  it('doubles', () => {
    const cases: Array<[string, number]> = [
      ['1.5', 1.5],
      ['-1.5', -1.5],
      ['0', 0],
      ['10', 10],
      ['1e10', 1e10],
      ['1e+10', 1e10],
      ['1.5E-3', 0.0015],
      ['3.1415926535897931', 3.141592653589793],
      ['1.7976931348623157e308', Number.MAX_VALUE],
      ['5e-324', 5e-324],
      ['inf', Infinity],
      ['+inf', Infinity],
      ['-inf', -Infinity],
    ];
    for (const [text, value] of cases) assert.equal(one(`,${text}\r\n`), value, text);
    assert.ok(Object.is(one(',-0\r\n'), -0), '-0 keeps its sign');
    assert.ok(Object.is(one(',0\r\n'), 0));
    assert.ok(Number.isNaN(one(',nan\r\n')));
    assert.ok(Number.isNaN(one(',-nan\r\n')));
  });

  it('big numbers become BigInt', () => {
    assert.equal(one('(3492890328409238509324850943850943825024385\r\n'), 3492890328409238509324850943850943825024385n);
    assert.equal(one('(-3492890328409238509324850943850943825024385\r\n'), -3492890328409238509324850943850943825024385n);
    assert.equal(one('(0\r\n'), 0n);
    assert.equal(one('(+12\r\n'), 12n);
  });

  it('bulk errors', () => {
    const e = one('!21\r\nSYNTAX invalid syntax\r\n');
    assert.ok(e instanceof ResponseError);
    assert.equal(e.message, 'SYNTAX invalid syntax');
    assert.equal(e.code, 'SYNTAX');
    // Unlike a simple error, a bulk error may contain CRLF.
    assert.equal((one('!9\r\nERR a\r\nbc\r\n') as Error).message, 'ERR a\r\nbc');
    assert.ok(one('!15\r\nWRONGTYPE wrong\r\n') instanceof WrongTypeError);
  });

  it('verbatim strings become their text, without the format prefix', () => {
    assert.equal(one('=15\r\ntxt:Some string\r\n'), 'Some string');
    assert.equal(one('=4\r\nmkd:\r\n'), '');
    assert.equal(one('=8\r\ntxt:a\r\nb\r\n'), 'a\r\nb');
    const long = 'x'.repeat(100) + 'ü';
    assert.equal(one(`=${Buffer.byteLength(long) + 4}\r\ntxt:${long}\r\n`), long);
  });

  it('maps become plain objects with string keys', () => {
    assert.deepEqual(one('%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n'), { first: 1, second: 2 });
    assert.deepEqual(one('%0\r\n'), {});
    // Non-string keys are turned into strings.
    assert.deepEqual(one('%3\r\n:1\r\n+one\r\n#t\r\n+yes\r\n,1.5\r\n+x\r\n'), { '1': 'one', true: 'yes', '1.5': 'x' });
    assert.deepEqual(one('%2\r\n$4\r\nname\r\n$3\r\nbob\r\n$4\r\ntags\r\n~2\r\n+a\r\n+b\r\n'), { name: 'bob', tags: ['a', 'b'] });
    assert.deepEqual(one('*2\r\n%1\r\n+a\r\n%1\r\n+b\r\n%0\r\n_\r\n'), [{ a: { b: {} } }, null]);
    const m = one('%1\r\n+k\r\n+v\r\n') as RespMap;
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
  });

  it('a repeated map key keeps the last value', () => {
    assert.deepEqual(one('%2\r\n+k\r\n:1\r\n+k\r\n:2\r\n'), { k: 2 });
  });

  it('__proto__ as a map key becomes an own key and leaves the prototype alone', () => {
    const m = one('%2\r\n$9\r\n__proto__\r\n%1\r\n+polluted\r\n#t\r\n+x\r\n:1\r\n') as RespMap;
    assert.ok(Object.hasOwn(m, '__proto__'));
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
    assert.deepEqual(Object.keys(m), ['__proto__', 'x']);
    assert.equal((m as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    assert.deepEqual(comparable(Object.getOwnPropertyDescriptor(m, '__proto__')!.value), { polluted: true });

    // The same inside attributes, and with a non-object value.
    const events = parseEveryWay('|1\r\n+__proto__\r\n:5\r\n+ok\r\n');
    const attrs = events[0]!.value as RespMap;
    assert.equal(Object.getPrototypeOf(attrs), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(attrs, '__proto__')!.value, 5);
  });

  it('sets become arrays', () => {
    assert.deepEqual(one('~3\r\n+a\r\n:1\r\n#f\r\n'), ['a', 1, false]);
    assert.deepEqual(one('~0\r\n'), []);
  });

  it('attributes go to onAttribute and the reply they precede arrives unchanged', () => {
    const stream =
      '|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n' + '*2\r\n:2039123\r\n:9543892\r\n';
    assert.deepEqual(parseEveryWay(stream), [
      { kind: 'attribute', value: { 'key-popularity': { a: 0.1923, b: 0.0012 } } },
      { kind: 'reply', value: [2039123, 9543892] },
    ]);
  });

  it('attributes nested inside an aggregate and inside another attribute', () => {
    // An attribute before the second element of an array does not count as an element.
    assert.deepEqual(parseEveryWay('*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n'), [
      { kind: 'attribute', value: { ttl: 3600 } },
      { kind: 'reply', value: [1, 2] },
    ]);
    // An attribute before a map value, and one inside an attribute's value: inner ones complete first.
    assert.deepEqual(parseEveryWay('%1\r\n+k\r\n|1\r\n+a\r\n|1\r\n+inner\r\n#t\r\n:1\r\n+v\r\n'), [
      { kind: 'attribute', value: { inner: true } },
      { kind: 'attribute', value: { a: 1 } },
      { kind: 'reply', value: { k: 'v' } },
    ]);
    // Empty attribute, and two in a row.
    assert.deepEqual(parseEveryWay('|0\r\n|1\r\n+a\r\n+b\r\n+OK\r\n'), [
      { kind: 'attribute', value: {} },
      { kind: 'attribute', value: { a: 'b' } },
      { kind: 'reply', value: 'OK' },
    ]);
  });

  it('attributes are dropped without an onAttribute handler', () => {
    const r = recorder({ withAttributes: false });
    r.parser.feed(Buffer.from('|1\r\n+a\r\n+b\r\n*2\r\n|1\r\n+c\r\n+d\r\n:1\r\n:2\r\n'));
    assert.deepEqual(r.events, [{ kind: 'reply', value: [1, 2] }]);
  });

  it('push frames at the top level go to onPush, interleaved with replies in order', () => {
    const stream =
      '+OK\r\n' +
      '>3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n' +
      ':1\r\n' +
      '>4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc1\r\n*0\r\n' +
      '>0\r\n' +
      '*2\r\n:1\r\n:2\r\n';
    assert.deepEqual(parseEveryWay(stream), [
      { kind: 'reply', value: 'OK' },
      { kind: 'push', value: ['message', 'channel', 'hello'] },
      { kind: 'reply', value: 1 },
      { kind: 'push', value: ['pmessage', 'c*', 'c1', []] },
      { kind: 'push', value: [] },
      { kind: 'reply', value: [1, 2] },
    ]);
  });

  it('a push frame inside an aggregate is just an array', () => {
    assert.deepEqual(parseEveryWay('*2\r\n>1\r\n+a\r\n>0\r\n'), [{ kind: 'reply', value: [['a'], []] }]);
  });

  it('push frames are dropped, not taken for replies, without an onPush handler', () => {
    const r = recorder({ withPush: false });
    r.parser.feed(Buffer.from('>2\r\n+a\r\n+b\r\n>0\r\n:7\r\n'));
    assert.deepEqual(r.events, [{ kind: 'reply', value: 7 }]);
  });
});

describe('returnBuffers', () => {
  it('gives bulk values as Buffers, keeps simple strings, errors and map keys as they were', () => {
    const events = parseEveryWay(
      '*7\r\n$5\r\nhello\r\n$0\r\n\r\n+simple\r\n=7\r\ntxt:abc\r\n!5\r\nERR e\r\n$-1\r\n' +
        '%2\r\n$3\r\nkey\r\n$5\r\nvalue\r\n:1\r\n$1\r\nv\r\n',
      { returnBuffers: true },
    );
    assert.equal(events.length, 1);
    const [hello, empty, simple, verbatim, error, nil, map] = events[0]!.value as RespValue[];
    assert.deepEqual(hello, Buffer.from('hello'));
    assert.deepEqual(empty, Buffer.alloc(0));
    assert.equal(simple, 'simple');
    assert.deepEqual(verbatim, Buffer.from('abc'));
    assert.ok(error instanceof ResponseError);
    assert.equal(error.message, 'ERR e');
    assert.equal(nil, null);
    assert.deepEqual(Object.keys(map as RespMap), ['1', 'key']);
    assert.deepEqual((map as RespMap)['key'], Buffer.from('value'));
    assert.deepEqual((map as RespMap)['1'], Buffer.from('v'));
  });

  it('keeps attribute keys as strings and their values as Buffers', () => {
    assert.deepEqual(parseEveryWay('|1\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n', { returnBuffers: true }), [
      { kind: 'attribute', value: { a: Buffer.from('b') } },
      { kind: 'reply', value: Buffer.from('c') },
    ]);
  });

  it('binary values come back byte for byte', () => {
    const bytes = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80, 0xc3, 0x28, 0x7f]);
    const stream = Buffer.concat([Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]);
    assert.deepEqual(one(stream, { returnBuffers: true }), bytes);
  });

  it('Buffer values do not share memory with the chunk they came from', () => {
    const chunk = Buffer.from('*2\r\n$3\r\nabc\r\n$70\r\n' + 'y'.repeat(70) + '\r\n');
    const r = recorder({ returnBuffers: true });
    r.parser.feed(chunk);
    chunk.fill(0);
    assert.deepEqual(r.events[0]!.value, [Buffer.from('abc'), Buffer.from('y'.repeat(70))]);
  });

  it('can be switched between replies, also from inside onReply within one chunk', () => {
    const got: RespValue[] = [];
    // The way a connection does it: the next command's wish is set when a reply arrives.
    const wishes = [true, false, true];
    const p = new RespParser({
      onReply: (v) => {
        got.push(v);
        p.returnBuffers = wishes.shift() ?? false;
      },
    });
    p.feed(Buffer.from('$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n'));
    assert.deepEqual(got, ['a', Buffer.from('b'), 'c', Buffer.from('d')]);

    // And between feeds, with a value split across them.
    const r = recorder();
    const parser = r.parser;
    parser.returnBuffers = true;
    parser.feed(Buffer.from('$3\r\nab'));
    parser.feed(Buffer.from('c\r\n'));
    parser.returnBuffers = false;
    parser.feed(Buffer.from('$3\r\nabc\r\n'));
    assert.deepEqual(
      r.events.map((e) => e.value),
      [Buffer.from('abc'), 'abc'],
    );
  });
});

describe('parser state', () => {
  it('midReply is true exactly while a reply is unfinished', () => {
    const r = recorder();
    assert.equal(r.parser.midReply, false);
    r.parser.feed(Buffer.from('*2\r\n:1'));
    assert.equal(r.parser.midReply, true);
    r.parser.feed(Buffer.from('\r\n$5\r\nhel'));
    assert.equal(r.parser.midReply, true);
    r.parser.feed(Buffer.from('lo\r'));
    assert.equal(r.parser.midReply, true);
    r.parser.feed(Buffer.from('\n'));
    assert.equal(r.parser.midReply, false);
    assert.deepEqual(r.events, [{ kind: 'reply', value: [1, 'hello'] }]);
  });

  it('an empty chunk changes nothing', () => {
    const r = recorder();
    r.parser.feed(Buffer.alloc(0));
    r.parser.feed(Buffer.from('+O'));
    r.parser.feed(Buffer.alloc(0));
    r.parser.feed(Buffer.from('K\r'));
    r.parser.feed(Buffer.alloc(0));
    r.parser.feed(Buffer.from('\n'));
    assert.deepEqual(r.events, [{ kind: 'reply', value: 'OK' }]);
  });

  it('reset drops a half-parsed reply', () => {
    for (const partial of ['*2\r\n:1\r\n', '$10\r\nabc', '+OK', '+OK\r', '%1\r\n+k\r\n', '|1\r\n+a\r\n']) {
      const r = recorder();
      r.parser.feed(Buffer.from(partial));
      assert.equal(r.parser.midReply, true, partial);
      r.parser.reset();
      assert.equal(r.parser.midReply, false);
      r.parser.feed(Buffer.from(':5\r\n'));
      assert.deepEqual(r.events, [{ kind: 'reply', value: 5 }], partial);
    }
  });

  it('a reset from inside a callback stops the rest of the chunk', () => {
    const got: RespValue[] = [];
    let resetOnce = true;
    const parser = new RespParser({
      onReply: (v) => {
        got.push(v);
        if (resetOnce) {
          resetOnce = false;
          parser.reset();
        }
      },
    });
    parser.feed(Buffer.from(':1\r\n:2\r\n*1\r\n:3\r\n'));
    assert.deepEqual(got, [1]);
    assert.equal(parser.midReply, false);
    parser.feed(Buffer.from(':4\r\n'));
    assert.deepEqual(got, [1, 4]);
  });

  it('an exception from onReply propagates and leaves the parser clean', () => {
    let calls = 0;
    const parser = new RespParser({
      onReply: () => {
        if (calls++ === 0) throw new Error('boom');
      },
    });
    assert.throws(() => parser.feed(Buffer.from(':1\r\n*2\r\n:1')), /boom/);
    assert.equal(parser.midReply, false);
    parser.feed(Buffer.from(':2\r\n'));
    assert.equal(calls, 2);
  });

  it('a long simple string arriving in many chunks parses', () => {
    const text = 'z'.repeat(300_000);
    const stream = Buffer.from(`+${text}\r\n:1\r\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1000) chunks.push(stream.subarray(i, i + 1000));
    assert.deepEqual(
      parse(stream, { chunks }).map((e) => e.value),
      [text, 1],
    );
  });
});

describe('protocol violations throw InvalidResponse', () => {
  const cases: Array<[string, string]> = [
    ['unknown type byte', '?3\r\n'],
    ['unknown type byte after a good reply', '+OK\r\nX\r\n'],
    ['a lowercase type letter', 'hello\r\n'],
    ['bulk length not a number', '$abc\r\nabc\r\n'],
    ['bulk length empty', '$\r\n\r\n'],
    ['bulk length negative other than -1', '$-2\r\nab\r\n'],
    ['bulk length with a sign', '$+3\r\nabc\r\n'],
    ['array count not a number', '*x\r\n'],
    ['array count negative other than -1', '*-5\r\n'],
    ['map count not a number', '%1a\r\n'],
    ['no CRLF after bulk data', '$3\r\nabcXY'],
    ['bulk data longer than its length', '$3\r\nabcd\r\n'],
    ['CR not followed by LF', '+OK\rX'],
    ['integer with a letter', ':12a\r\n'],
    ['integer with only a sign', ':-\r\n'],
    ['empty integer', ':\r\n'],
    ['boolean not t or f', '#x\r\n'],
    ['boolean too long', '#tt\r\n'],
    ['empty boolean', '#\r\n'],
    ['double not a number', ',abc\r\n'],
    ['double with a space', ', 1\r\n'],
    ['double in hex', ',0x10\r\n'],
    ['empty double', ',\r\n'],
    ['big number with a letter', '(12a\r\n'],
    ['empty big number', '(\r\n'],
    ['verbatim without a format', '=3\r\nabc\r\n'],
    ['verbatim with a bad format separator', '=7\r\ntxt-abc\r\n'],
    ['null with content', '_x\r\n'],
    ['violation nested deep in a reply', '*2\r\n*1\r\n%1\r\n+k\r\n#maybe\r\n:1\r\n'],
  ];
  for (const [name, stream] of cases) {
    it(name, () => assertInvalid(stream));
  }

  it('a violation in a bulk value that spans chunks', () => {
    const r = recorder();
    r.parser.feed(Buffer.from('$5\r\nab'));
    assert.throws(() => r.parser.feed(Buffer.from('cdeXX')), InvalidResponse);
    assert.equal(r.parser.midReply, false);
  });
});

describe('unbounded lines', () => {
  it('a line that never ends is refused once it passes 512 MB, not buffered forever', () => {
    const p = new RespParser({ onReply: () => {} });
    const chunk = Buffer.alloc(64 * 1024 * 1024, 0x61);
    p.feed(Buffer.from('+'));
    let thrown: unknown;
    try {
      for (let i = 0; i < 9; i++) p.feed(chunk);
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof InvalidResponse, String(thrown));
    assert.match((thrown as Error).message, /512 MB/);
  });
});
