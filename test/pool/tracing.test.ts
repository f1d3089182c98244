import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { afterEach, describe, it } from 'node:test';
import {
  ConnectionError,
  WrongTypeError,
  batchChannel,
  commandChannel,
  connectChannel,
  createClient,
  traceBatch,
  type CommandTraceContext,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

type Phase = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

/** Subscribes to every phase of a tracing channel by name, as an APM would; returns the log and an unsubscribe. */
function record<C extends object>(name: string): { events: Array<{ phase: Phase; context: C }>; stop: () => void } {
  const channel = diagnostics_channel.tracingChannel<unknown, C>(name);
  const events: Array<{ phase: Phase; context: C }> = [];
  const on = (phase: Phase) => (context: C) => {
    events.push({ phase, context: { ...context } });
  };
  const handlers: diagnostics_channel.TracingChannelSubscribers<C> = {
    start: on('start'),
    end: on('end'),
    asyncStart: on('asyncStart'),
    asyncEnd: on('asyncEnd'),
    error: on('error'),
  };
  channel.subscribe(handlers);
  return { events, stop: () => channel.unsubscribe(handlers) };
}

for (const kind of SERVER_KINDS) {
  describe(`tracing channels on ${kind}`, () => {
    const server = useServer({ kind });
    let stop = () => {};
    afterEach(() => stop());

    it('publishes start/end/asyncStart/asyncEnd for a command, and error for a failed one, without arguments', async () => {
      await using c = await createClient({ port: server().port, db: 2 }).connect();
      assert.equal(commandChannel.hasSubscribers, false);
      const rec = record<CommandTraceContext>('redwire:command');
      stop = rec.stop;
      assert.equal(commandChannel.hasSubscribers, true);
      await c.set('secret:key', 'secret-value');
      assert.equal(await c.get('secret:key'), 'secret-value');
      await assert.rejects(c.hset('secret:key', 'secret-field', 'secret-value'), WrongTypeError);
      await c.clientId();
      stop();

      const phases = rec.events.map((e) => `${e.context.command}:${e.phase}`);
      assert.deepEqual(phases, [
        'SET:start', 'SET:end', 'SET:asyncStart', 'SET:asyncEnd',
        'GET:start', 'GET:end', 'GET:asyncStart', 'GET:asyncEnd',
        'HSET:start', 'HSET:end', 'HSET:error', 'HSET:asyncStart', 'HSET:asyncEnd',
        'CLIENT ID:start', 'CLIENT ID:end', 'CLIENT ID:asyncStart', 'CLIENT ID:asyncEnd',
      ]);
      const first = rec.events[0]!.context;
      assert.deepEqual(first, { command: 'SET', serverAddress: '127.0.0.1', serverPort: server().port, db: 2 });
      const failed = rec.events.find((e) => e.phase === 'error')!.context;
      assert.ok(failed.error instanceof WrongTypeError);
      const everything = JSON.stringify(rec.events.map((e) => ({ ...e.context, error: String(e.context.error ?? '') })));
      assert.ok(!everything.includes('secret'), everything);
      // No reply either: a GET's value is as private as its key.
      assert.ok(rec.events.every((e) => !('result' in e.context)));
    });

    it('traces the commands of the lease pool too, and stops costing anything once unsubscribed', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const rec = record<CommandTraceContext>('redwire:command');
      stop = rec.stop;
      assert.equal(await c.blpop('trace:empty', 0.01), null);
      stop();
      assert.equal(commandChannel.hasSubscribers, false);
      await c.ping();
      assert.deepEqual(
        rec.events.filter((e) => e.phase === 'start').map((e) => e.context.command),
        ['BLPOP'],
      );
    });

    it('publishes connects, including a failed one', async () => {
      const rec = record<{ serverAddress: string; serverPort: number | undefined; db: number; tls: boolean; error?: unknown }>('redwire:connect');
      stop = rec.stop;
      const c = await createClient({ port: server().port }).connect();
      await c.close();
      await assert.rejects(createClient({ port: 1, reconnect: false }).connect(), ConnectionError);
      stop();
      assert.deepEqual(rec.events.map((e) => e.phase), ['start', 'end', 'asyncStart', 'asyncEnd', 'start', 'end', 'error', 'asyncStart', 'asyncEnd']);
      assert.deepEqual(rec.events[0]!.context, { serverAddress: '127.0.0.1', serverPort: server().port, db: 0, tls: false });
      assert.equal(rec.events[4]!.context.serverPort, 1);
      assert.ok(rec.events[6]!.context.error instanceof ConnectionError);
    });

    it('traceBatch publishes a batch with its size, and runs the batch untouched when nobody listens', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const run = () => Promise.all([c.connection.send(['PING']), c.connection.send(['PING'])]);
      assert.equal(batchChannel.hasSubscribers, false);
      assert.deepEqual(await traceBatch(c.connection.options, { commands: 2, transaction: false }, run), ['PONG', 'PONG']);
      const rec = record<{ commands: number; transaction: boolean; db: number }>('redwire:batch');
      stop = rec.stop;
      await traceBatch(c.connection.options, { commands: 2, transaction: true }, run);
      stop();
      assert.deepEqual(rec.events.map((e) => e.phase), ['start', 'end', 'asyncStart', 'asyncEnd']);
      assert.deepEqual(rec.events[0]!.context, { commands: 2, transaction: true, serverAddress: '127.0.0.1', serverPort: server().port, db: 0 });
      assert.equal(connectChannel.hasSubscribers, false);
    });
  });
}
