/**
 * Compile-time checks of the connection commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { ClientRecord, HelloReply, RedisClient, TrackingInfo } from '../../src/index.js';
import type { ConnectionCommands, connectionMethods } from '../../src/commands/connection.js';

function expectType<T>(_v: T): void {}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const connectionTable: Same<keyof ConnectionCommands<unknown>, keyof typeof connectionMethods> = true;

export async function connection(c: RedisClient): Promise<void> {
  expectType<'OK'>(await c.auth('pw'));
  expectType<'OK'>(await c.auth('user', 'pw'));
  expectType<HelloReply>(await c.hello(3, { auth: { username: 'u', password: 'p' }, setname: 'n' }));
  expectType<'RESET'>(await c.reset());
  expectType<number>(await c.clientKill({ id: [1, 2], type: 'pubsub', skipme: false, maxage: 10 }));
  expectType<'OK'>(await c.clientKill('127.0.0.1:5000'));
  expectType<ClientRecord[]>(await c.clientList({ type: 'normal', id: [1] }));
  expectType<'OK'>(await c.clientTracking(true, { prefix: ['a:', 'b:'], bcast: true, noloop: true }));
  expectType<TrackingInfo<string>>(await c.clientTrackinginfo());
  expectType<TrackingInfo<Buffer>>(await c.withBuffers().clientTrackinginfo());
  expectType<boolean>(await c.clientUnblock(5, 'ERROR'));
  expectType<string | null>(await c.clientGetname());
  expectType<Buffer>(await c.withBuffers().echo('x'));

  // @ts-expect-error a password is a string
  await c.auth(1234);
  // @ts-expect-error protocols are 2 and 3
  await c.hello(4);
  // @ts-expect-error HELLO AUTH needs a username and a password
  await c.hello(3, { auth: { password: 'p' } });
  // @ts-expect-error unknown CLIENT KILL filter
  await c.clientKill({ port: 5000 });
  // @ts-expect-error CLIENT LIST ids are an array
  await c.clientList({ id: 5 });
  // @ts-expect-error CLIENT TRACKING takes a boolean, not 'ON'
  await c.clientTracking('ON');
  // @ts-expect-error CLIENT PAUSE modes are WRITE and ALL
  await c.clientPause(100, 'READ');
  // @ts-expect-error CLIENT SETINFO attributes are LIB-NAME and LIB-VER
  await c.clientSetinfo('LIB-COLOR', 'x');
  // @ts-expect-error CLIENT UNBLOCK modes are TIMEOUT and ERROR
  await c.clientUnblock(5, 'NOW');
  // @ts-expect-error SELECT takes a number
  await c.select('1');
}
