import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockingMs, blockingMsOfArgv } from '../../src/pool/blocking.js';
import { Session } from '../../src/pool/session.js';

describe('which commands block', () => {
  it('reads the block time of raw command lines, in ms (0: forever)', () => {
    assert.equal(blockingMsOfArgv(['BLPOP', 'a', 'b', '1.5']), 1500);
    assert.equal(blockingMsOfArgv(['brpop', 'a', 0]), 0);
    assert.equal(blockingMsOfArgv(['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 2]), 2000);
    assert.equal(blockingMsOfArgv(['BLMPOP', 3, 1, 'a', 'LEFT']), 3000);
    assert.equal(blockingMsOfArgv(['BZPOPMIN', 'z', '0.01']), 10);
    assert.equal(blockingMsOfArgv(['XREAD', 'COUNT', 5, 'BLOCK', 250, 'STREAMS', 's', '$']), 250);
    assert.equal(blockingMsOfArgv(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>']), 0);
    assert.equal(blockingMsOfArgv(['WAIT', 1, 100]), 100);
  });

  it('says undefined for what does not block', () => {
    assert.equal(blockingMsOfArgv(['XREAD', 'STREAMS', 's', '0']), undefined);
    // A key named BLOCK after STREAMS is a key, not the option.
    assert.equal(blockingMsOfArgv(['XREAD', 'STREAMS', 'BLOCK', '0']), undefined);
    assert.equal(blockingMsOfArgv(['GET', 'k']), undefined);
    assert.equal(blockingMsOfArgv(['constructor']), undefined);
    assert.equal(blockingMsOfArgv(['NOSUCHCOMMAND', 1]), undefined);
    assert.equal(blockingMs({ id: 'x', flags: 0, keys: null }, ['x']), undefined);
  });

  it('trusts a flagged command of unknown block time to block forever', () => {
    assert.equal(blockingMs({ id: 'x.pop', flags: 4, keys: null }, ['X.POP']), 0);
  });
});

describe('what dirties a leased connection', () => {
  it('tracks transactions and WATCH, and session changes', () => {
    const s = new Session();
    s.noteArgv(['WATCH', 'k']);
    s.noteArgv(['MULTI']);
    s.noteArgv(['EXEC']);
    s.noteArgv(['GET', 'k']);
    const fake = { state: 'ready', busy: false, send: () => Promise.reject(new Error('must not be sent')) };
    return s.tidy(fake as never).then((clean) => {
      assert.equal(clean, true);
      const t = new Session();
      t.noteArgv(['CLIENT', 'TRACKING', 'ON']);
      return t.tidy(fake as never);
    }).then((clean) => assert.equal(clean, false));
  });
});
