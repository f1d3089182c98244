// A tour of redwire: `npm run demo`.
//
// It talks to REDIS_URL, or redis://127.0.0.1:6379. When nothing answers there it starts a
// throwaway redis-server / valkey-server on a Unix socket and stops it at the end. Every key it
// writes starts with `redwire-demo:` and is deleted before it leaves.
//
// In your own code, import from 'redwire'; the demo imports the sources so it runs without a build.

import { once } from 'node:events';
import { inspect } from 'node:util';
import {
  ConnectionError,
  DataError,
  RedisError,
  ResponseError,
  TimeoutError,
  UnknownCommandError,
  WrongTypeError,
  createClient,
  type RedisClient,
} from '../src/index.js';
import { findServerBinary, startThrowawayServer, type ThrowawayServer } from './throwaway-server.js';

const K = (name: string): string => `redwire-demo:${name}`;
const KEYS = ['greeting', 'user:1', 'queue', 'visits', 'session', 'blob', 'nothing', 'pipelined', 'hits', 'balance', 'jobs', 'lock'].map(K);

const show = (v: unknown): string => inspect(v, { colors: process.stdout.isTTY, breakLength: 100, depth: 4 });
const step = (code: string, result: unknown): void => console.log(`  ${code.padEnd(52)} → ${show(result)}`);
const heading = (title: string): void => console.log(`\n${title}`);
const note = (text: string): void => console.log(`  ${text}`);

/** True when a server answers at `url`; false when nothing does. Other failures (a wrong password…) throw. */
async function answers(url: string): Promise<boolean> {
  // No reconnecting and a short timeout: this only asks whether anyone is there.
  const probe = createClient({ url, connectTimeout: 1_000, reconnect: false });
  try {
    await probe.connect();
    return true;
  } catch (e) {
    if (e instanceof ConnectionError || e instanceof TimeoutError) return false;
    throw e;
  } finally {
    probe.disconnect();
  }
}

async function tour(url: string): Promise<void> {
  // Options may come from the URL, from the object, or both (the object wins).
  const client = createClient({ url, clientName: 'redwire-demo', commandTimeout: 5_000 });
  client.on('reconnecting', ({ attempt, delay }) => note(`(event) reconnecting: attempt ${attempt} in ${Math.round(delay)} ms`));
  client.on('ready', () => note('(event) ready'));
  await client.connect();

  try {
    const server = (await client.info('server'))['server'] ?? {};
    const product = server['valkey_version'] !== undefined ? `Valkey ${server['valkey_version']}` : `Redis ${server['redis_version']}`;
    heading(`Connected to ${product} over RESP${client.connection.protocol}`);
    step(`ping()`, await client.ping());

    heading('Strings');
    step(`set(greeting, 'hello')`, await client.set(K('greeting'), 'hello'));
    step(`get(greeting)`, await client.get(K('greeting')));
    step(`set(greeting, 'hi', { nx: true })`, await client.set(K('greeting'), 'hi', { nx: true }));
    step(`set(greeting, 'hey', { get: true, ex: 60 })`, await client.set(K('greeting'), 'hey', { get: true, ex: 60 }));
    step(`get(nothing)`, await client.get(K('nothing')));

    heading('A hash is an object (under RESP2 and RESP3 alike)');
    step(`hset(user:1, { name: 'Ada', born: 1815 })`, await client.hset(K('user:1'), { name: 'Ada', born: 1815 }));
    step(`hgetall(user:1)`, await client.hgetall(K('user:1')));
    step(`hget(user:1, 'name')`, await client.hget(K('user:1'), 'name'));

    heading('A list');
    step(`rpush(queue, 'a', 'b', 'c')`, await client.rpush(K('queue'), 'a', 'b', 'c'));
    step(`lpush(queue, 'z')`, await client.lpush(K('queue'), 'z'));
    step(`lrange(queue, 0, -1)`, await client.lrange(K('queue'), 0, -1));

    heading('Counters');
    step(`incr(visits)`, await client.incr(K('visits')));
    step(`incrby(visits, 10)`, await client.incrby(K('visits'), 10));
    step(`decr(visits)`, await client.decr(K('visits')));
    step(`incrbyfloat(visits, 0.5)`, await client.incrbyfloat(K('visits'), 0.5));

    heading('Expiry');
    await client.set(K('session'), 'token');
    step(`expire(session, 100)`, await client.expire(K('session'), 100));
    step(`expire(session, 5, { nx: true })`, await client.expire(K('session'), 5, { nx: true }));
    step(`ttl(session)`, await client.ttl(K('session')));
    step(`pexpire(session, 1500)`, await client.pexpire(K('session'), 1_500));
    step(`pttl(session)`, await client.pttl(K('session')));
    step(`ttl(nothing)`, await client.ttl(K('nothing')));

    heading('Bytes: withBuffers() is a view of the same connection that reads Buffers');
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    step(`set(blob, <Buffer 00 ff 10 80>)`, await client.set(K('blob'), bytes));
    step(`withBuffers().get(blob)`, await client.withBuffers().get(K('blob')));
    step(`withBuffers().lrange(queue, 0, 1)`, await client.withBuffers().lrange(K('queue'), 0, 1));

    heading('Errors are typed');
    await expectError(`get(user:1)  — a hash, not a string`, () => client.get(K('user:1')), WrongTypeError);
    await expectError(`incrby(visits, 1.5)  — refused before sending`, () => client.incrby(K('visits'), 1.5), DataError);
    await expectError(`call('NOSUCHCOMMAND')`, () => client.call('NOSUCHCOMMAND'), UnknownCommandError);
    note('every one is a RedisError; server replies are ResponseErrors with the server\'s code and message');

    heading('Timeouts and reconnecting');
    note('a blocking command waits on a connection of its own, its block time added to the timeout:');
    step(`withTimeout(200).blpop(nothing, 0.3)`, await client.withTimeout(200).blpop(K('nothing'), 0.3));
    // Only the demo's own server lets itself be stalled on purpose (DEBUG is off on servers by default).
    if (await client.call('DEBUG', 'SLEEP', '0').then(() => true, () => false)) {
      await expectError(`withTimeout(200).call('DEBUG', 'SLEEP', '0.5')`,
        () => client.withTimeout(200).call('DEBUG', 'SLEEP', '0.5'), TimeoutError);
      note('a late reply could be taken for the next command\'s, so the connection was replaced;');
      note('commands issued meanwhile wait for the new one:');
      step(`get(greeting)`, await client.get(K('greeting')));
    } else {
      note('(this server refuses DEBUG, so the demo cannot stall it to show a timeout)');
    }

    await pipelineTour(client);
    await poolTour(client);
    await pubsubTour(client);
  } finally {
    await client.del(...KEYS).catch(() => {});
    await client.close();
  }
}

async function expectError(code: string, fn: () => Promise<unknown>, expected: new (...args: never[]) => RedisError): Promise<void> {
  try {
    const value = await fn();
    throw new Error(`${code} was expected to fail, and returned ${show(value)}`);
  } catch (e) {
    if (!(e instanceof expected)) throw e;
    const parts = [`${e.name}: ${e.message}`];
    if (e instanceof ResponseError) parts.push(`code ${e.code}`);
    if (e.command !== undefined) parts.push(`command ${e.command}`);
    console.log(`  ${code.padEnd(52)} ✗ ${parts.join(' · ')}`);
  }
}

async function pipelineTour(client: RedisClient): Promise<void> {
  heading('Pipelines and transactions: chained, sent in one write');
  step(`pipeline().set(…).incr(hits).get(…).exec()`,
    await client.pipeline().set(K('pipelined'), 'yes').incr(K('hits')).get(K('pipelined')).exec());
  step(`multi().incr(hits).incr(hits).exec()`, await client.multi().incr(K('hits')).incr(K('hits')).exec());
  note('commands issued in the same tick are batched the same way, without asking:');
  step(`Promise.all([get(pipelined), get(hits)])`, await Promise.all([client.get(K('pipelined')), client.get(K('hits'))]));

  heading('Optimistic transaction: WATCH, read, and write only if nothing changed meanwhile');
  await client.set(K('balance'), 100);
  const result = await client.transaction(async (tx) => {
    const balance = Number(await tx.get(K('balance')));
    return tx.multi().set(K('balance'), balance - 30).get(K('balance'));
  }, { watch: [K('balance')] });
  step(`transaction(tx => tx.multi().set(balance, 70)…)`, result);
}

async function poolTour(client: RedisClient): Promise<void> {
  heading('Blocking commands wait on a pooled connection, so the shared one goes on');
  const popped = client.blpop(K('jobs'), 2);
  step(`(BLPOP waiting) get(greeting)`, await client.get(K('greeting')));
  step(`rpush(jobs, 'job-1')`, await client.rpush(K('jobs'), 'job-1'));
  step(`blpop(jobs, 2)`, await popped);
  step(`pool.stats()`, client.pool.stats());

  heading('Scan iterators and locks');
  const names: string[] = [];
  for await (const key of client.scanIterator({ match: K('*'), count: 1_000 })) names.push(key.slice(K('').length));
  step(`for await (key of scanIterator({ match: K('*') }))`, names.sort().join(' '));
  {
    await using lock = await client.lock(K('lock'), { timeout: 5_000 }).acquire();
    step(`lock(name, { timeout: 5000 }).acquire(); owned()`, await lock.owned());
  }
  step(`(released by await using) exists(lock)`, await client.exists(K('lock')));
}

async function pubsubTour(client: RedisClient): Promise<void> {
  heading('Pub/sub: a subscriber has a connection of its own');
  const channel = K('news');
  await using sub = client.pubsub();
  await sub.subscribe(channel);
  note(`sub = pubsub(); await sub.subscribe(news)`);
  const message = once(sub, 'message', { signal: AbortSignal.timeout(2_000) });
  step(`publish(news, 'hello')`, await client.publish(channel, 'hello'));
  step(`(message event)`, (await message)[0]);
}

async function main(): Promise<void> {
  // Whatever goes wrong, the demo must end.
  setTimeout(() => {
    console.error('demo: gave up after 60 s');
    process.exit(1);
  }, 60_000).unref();

  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  let server: ThrowawayServer | null = null;
  let target = url;
  if (!(await answers(url))) {
    const binary = findServerBinary();
    if (binary === null) {
      console.log(`Nothing answered at ${url}, and there is no redis-server or valkey-server on PATH.`);
      console.log('Install them with `bash .ci/install-servers.sh` (Debian/Ubuntu), or run `bash examples/run-demo.sh`,');
      console.log('which does that and the rest; or point REDIS_URL at a server you have.');
      return;
    }
    server = await startThrowawayServer(binary);
    target = server.url;
    console.log(`Nothing answered at ${url}: started a throwaway ${server.binary} at ${server.url} (stopped at the end).`);
  }
  try {
    await tour(target);
  } finally {
    if (server !== null) {
      await server.stop();
      console.log(`\nStopped the throwaway ${server.binary}.`);
    }
  }
}

main().catch((e: unknown) => {
  // A RedisError's message says what went wrong; its stack would only point into the library.
  console.error(e instanceof RedisError ? `demo: ${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
