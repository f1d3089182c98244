/**
 * Compile-time checks of the sentinel client's surface: `npm run typecheck` must accept the plain
 * lines and refuse each line under `@ts-expect-error`. Never run.
 */
import {
  Sentinel,
  createSentinel,
  type RedisClient,
  type SentinelClient,
  type ServerAddress,
  type SwitchEvent,
} from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function sentinelClient(): Promise<void> {
  const c = createSentinel({ sentinels: ['127.0.0.1:26379', { host: 'h', port: 1 }], name: 'm', password: 'pw', sentinelOptions: { password: 's' } });
  // A full client: every RedisClient method.
  expectType<RedisClient>(c);
  expectType<string | null>(await c.get('k'));
  expectType<number>(await c.incr('k'));
  expectType<ServerAddress | null>(c.address);
  expectType<'primary' | 'replica'>(c.sentinelRole);
  c.sentinel.on('switch', (e) => {
    expectType<SwitchEvent>(e);
    expectType<number>(e.to.port);
    expectType<number>(e.from.port);
  });
  c.sentinel.on('sentinelDown', (e) => expectType<Error>(e.error));
  c.sentinel.on('replicaAdded', (e) => expectType<ServerAddress>(e.replica));
  // @ts-expect-error: not an event of the sentinels
  c.sentinel.on('nope', () => {});
  // @ts-expect-error: where to connect is the sentinels' business
  createSentinel({ sentinels: ['h:1'], name: 'm', port: 6379 });
  // @ts-expect-error: a role is primary or replica
  createSentinel({ sentinels: ['h:1'], name: 'm', role: 'leader' });

  const s = new Sentinel(['127.0.0.1:26379'], { refreshInterval: 1000 });
  expectType<SentinelClient>(s.primaryFor('m', { db: 1 }));
  expectType<SentinelClient>(s.replicaFor('m', { replicaFallback: false }));
  expectType<SentinelClient>(s.masterFor('m'));
  expectType<SentinelClient>(s.slaveFor('m'));
  expectType<ServerAddress>(await s.discoverPrimary('m'));
  expectType<ServerAddress[]>(await s.discoverReplicas('m'));
  expectType<SentinelClient>(c.duplicate());
  await s.close();
}
