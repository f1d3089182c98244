/**
 * Sentinel support: finding a primary (or replicas) through the sentinels, and following it when it
 * moves. The data connections are the standalone client's own: a `SentinelClient` is a RedisClient
 * whose connections ask an address resolver where to go on every connect, and which this module
 * tells to move at once when the sentinels announce a failover.
 *
 * How a failover is followed, fastest first:
 * - The sentinel leading a failover announces `+elected-leader`, then `+failover-state-send-slaveof-
 *   noone`, a few timer ticks before it promotes the replica. Primary clients stop writing to the old
 *   primary there (commands wait; those in flight finish), so that nothing is acknowledged by a
 *   server about to lose it.
 * - `+promoted-slave` (from the leader) and `+switch-master` (from every sentinel, the others up to a
 *   hello period later) name the new primary: connections move to it at once.
 * - Only the leader speaks first, so every known sentinel is subscribed to, not just one.
 * - Missed events are caught by re-asking the sentinels on a timer, by READONLY replies, and by the
 *   ROLE check every new connection makes before it is used.
 * - Sentinels that have not yet heard of a failover still name the old primary; their answers carry
 *   an older config epoch and are passed over.
 */
import { EventEmitter } from 'node:events';
import { RedisClient } from '../client/client.js';
import type { PubSub } from '../client/pubsub.js';
import type { SentinelInstance } from '../commands/sentinel.js';
import type { AddressResolver, ConnectionOptions, ServerAddress } from '../connection/options.js';
import { parseUrl } from '../connection/url.js';
import type { RespValue } from '../protocol/parser.js';
import { ClientClosedError, ConnectionError, DataError, PrimaryNotFoundError, ReplicaNotFoundError, ResponseError } from '../errors.js';
import { SentinelClient, type SentinelClientOptions } from './client.js';

/** Which server of a sentinel-watched group a client talks to: the primary, or one of its replicas. */
export type SentinelRole = 'primary' | 'replica';

/** Options of the connections to the sentinels themselves (not to the data servers). */
export type SentinelConnectionOptions = Omit<ConnectionOptions, 'host' | 'port' | 'path' | 'db' | 'resolver' | 'readonly'>;

/** Everything `createSentinel()` accepts beyond a client's options: how to reach the sentinels, refresh and failover settings. */
export interface SentinelOptions {
  /**
   * How to talk to the sentinels: ACL user and password, TLS, timeouts. connectTimeout and
   * commandTimeout default to 2 000 ms here, so that a dead sentinel does not hold up the next.
   */
  sentinelOptions?: SentinelConnectionOptions;
  /** Re-ask the sentinels this often (ms), in case an event was missed. 0 turns it off. Default 5 000. */
  refreshInterval?: number;
  /**
   * After a failover starts, how long primary clients hold their writes waiting for the new primary
   * (ms) before asking the sentinels again. Default 5 000.
   */
  failoverHoldMs?: number;
}

/** A sentinel as given: `'host:port'`, `'redis://host:port'`, or `{ host, port }`. */
export type SentinelAddressInput = string | ServerAddress;

/** What a sentinel client's `switch` event carries when the sentinels named a new primary. */
export interface SwitchEvent {
  name: string;
  /** Where the primary was. */
  from: ServerAddress;
  to: ServerAddress;
  /** What told us: a sentinel event, a refresh, or a READONLY reply. */
  reason: 'switch-master' | 'promoted-slave' | 'refresh' | 'readonly';
}

/** The events of `client.sentinel` (and of the watcher behind `Sentinel#watch(name)`). */
export interface SentinelEvents {
  /** The primary moved; primary clients have started moving their connections. */
  switch: [event: SwitchEvent];
  /** A failover started: primary clients hold new commands until the new primary is known. */
  failoverStart: [event: { name: string; primary: ServerAddress | null; candidate: ServerAddress | null }];
  /** The sentinels gave the failover up (or the hold ran out): commands go to the primary they name. */
  failoverAbort: [event: { name: string; reason: string }];
  /** The sentinels consider the primary down (+sdown). */
  primaryDown: [event: { name: string; primary: ServerAddress }];
  /** A sentinel did not answer, or its event subscription broke. */
  sentinelDown: [event: { sentinel: ServerAddress; error: Error }];
  /** A sentinel that was down answers again. */
  sentinelUp: [event: { sentinel: ServerAddress }];
  /** A sentinel learned from the others (SENTINEL SENTINELS, +sentinel). */
  sentinelAdded: [event: { sentinel: ServerAddress }];
  replicaAdded: [event: { name: string; replica: ServerAddress }];
  /** A replica is down (+sdown): replica clients move off it. */
  replicaDown: [event: { name: string; replica: ServerAddress }];
  replicaUp: [event: { name: string; replica: ServerAddress }];
  /** A failure nobody awaits (a refresh that found no sentinel). Only emitted when listened to. */
  error: [error: Error];
}

const DEFAULT_SENTINEL_TIMEOUT = 2_000;
const DEFAULT_REFRESH = 5_000;
const DEFAULT_HOLD = 5_000;
/** How long an answer of the sentinels is reused, so that a pool opening many connections asks once. */
const ANSWER_TTL = 500;
/** Flags that rule an instance out. */
const DOWN_FLAGS = new Set(['s_down', 'o_down', 'disconnected']);

export const addressKey = (a: ServerAddress): string => `${a.host}:${a.port}`;
export const sameAddress = (a: ServerAddress | null | undefined, b: ServerAddress | null | undefined): boolean =>
  a != null && b != null && a.port === b.port && a.host === b.host;

function parseSentinelAddress(input: SentinelAddressInput): ServerAddress {
  if (typeof input === 'object' && input !== null) {
    if (typeof input.host !== 'string' || !Number.isInteger(input.port)) throw new DataError('a sentinel address needs a host string and an integer port');
    return { host: input.host, port: input.port };
  }
  if (typeof input !== 'string' || input === '') throw new DataError('a sentinel address must be a URL, "host:port" or { host, port }');
  if (input.includes('://')) {
    const o = parseUrl(input);
    return { host: o.host ?? '127.0.0.1', port: o.port ?? 26379 };
  }
  const colon = input.lastIndexOf(':');
  if (colon <= 0) return { host: input, port: 26379 };
  const port = Number(input.slice(colon + 1));
  if (!Number.isInteger(port)) throw new DataError(`bad sentinel address "${input}"`);
  return { host: input.slice(0, colon).replace(/^\[|\]$/g, ''), port };
}

function checkMs(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new DataError(`sentinel option ${name} must be an integer >= 0`);
  return v;
}

/** A sentinel's answer that is no use, and why: the next sentinel is asked. */
class Skip {
  constructor(readonly reason: string) {}
}

/**
 * The sentinels of a deployment (redis-py's `Sentinel`): asks them where a primary or its replicas
 * are, and makes clients that follow them there.
 *
 *   const sentinel = new Sentinel(['127.0.0.1:26379', '127.0.0.1:26380']);
 *   const primary = sentinel.primaryFor('mymaster');
 *   const replica = sentinel.replicaFor('mymaster');
 */
export class Sentinel {
  private list: ServerAddress[];
  private readonly connectionOptions: ConnectionOptions;
  readonly refreshInterval: number;
  readonly failoverHoldMs: number;
  private readonly queryClients = new Map<string, RedisClient>();
  private readonly watchers = new Map<string, SentinelWatcher>();
  private readonly down = new Set<string>();
  private closed = false;

  constructor(sentinels: ReadonlyArray<SentinelAddressInput>, options: SentinelOptions = {}) {
    if (!Array.isArray(sentinels) || sentinels.length === 0) throw new DataError('Sentinel: at least one sentinel address is required');
    if (typeof options !== 'object' || options === null) throw new DataError('Sentinel: options must be an object');
    this.list = [];
    for (const s of sentinels) {
      const a = parseSentinelAddress(s);
      if (!this.list.some((x) => sameAddress(x, a))) this.list.push(a);
    }
    this.refreshInterval = checkMs('refreshInterval', options.refreshInterval, DEFAULT_REFRESH);
    this.failoverHoldMs = checkMs('failoverHoldMs', options.failoverHoldMs, DEFAULT_HOLD);
    const so = options.sentinelOptions ?? {};
    if (typeof so !== 'object' || so === null) throw new DataError('Sentinel: sentinelOptions must be an object');
    this.connectionOptions = {
      ...so,
      connectTimeout: so.connectTimeout ?? DEFAULT_SENTINEL_TIMEOUT,
      commandTimeout: so.commandTimeout ?? DEFAULT_SENTINEL_TIMEOUT,
    };
  }

  /** The sentinels known now, the one that last answered first. */
  get sentinels(): ServerAddress[] {
    return this.list.map((a) => ({ ...a }));
  }

  /** A client of the primary called `name`: it follows it through failovers. */
  primaryFor(name: string, clientOptions?: SentinelClientOptions): SentinelClient {
    return this.watch(name).client('primary', clientOptions ?? {});
  }

  /** A client reading from the replicas of `name`, round-robin (the primary when none is healthy). */
  replicaFor(name: string, clientOptions?: SentinelClientOptions): SentinelClient {
    return this.watch(name).client('replica', clientOptions ?? {});
  }

  /** redis-py's name for primaryFor. */
  masterFor(name: string, clientOptions?: SentinelClientOptions): SentinelClient {
    return this.primaryFor(name, clientOptions);
  }

  /** redis-py's name for replicaFor. */
  slaveFor(name: string, clientOptions?: SentinelClientOptions): SentinelClient {
    return this.replicaFor(name, clientOptions);
  }

  /** Asks the sentinels where the primary of `name` is (PrimaryNotFoundError when none can say). */
  async discoverPrimary(name: string): Promise<ServerAddress> {
    return (await this.watch(name).discoverPrimary()).address;
  }

  /** Asks the sentinels for the healthy replicas of `name`. */
  discoverReplicas(name: string): Promise<ServerAddress[]> {
    return this.watch(name).discoverReplicas();
  }

  /** The watcher of one primary name: its events, and what it knows. Made on first use. */
  watch(name: string): SentinelWatcher {
    if (typeof name !== 'string' || name === '') throw new DataError('Sentinel: the primary name must be a non-empty string');
    if (this.closed) throw new ClientClosedError('the sentinel was closed');
    let w = this.watchers.get(name);
    if (w === undefined) {
      w = new SentinelWatcher(this, name);
      this.watchers.set(name, w);
    }
    return w;
  }

  /** Closes every client made here and every sentinel connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(watchers.map((w) => w.close()));
    const clients = [...this.queryClients.values()];
    this.queryClients.clear();
    for (const c of clients) c.disconnect();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internal, for the watchers ------------------------------------------------------------------

  /** @internal A client of one sentinel, for commands. */
  sentinelClient(at: ServerAddress): RedisClient {
    const key = addressKey(at);
    let c = this.queryClients.get(key);
    if (c === undefined || c.status === 'closed') {
      // It does not reconnect: a sentinel that fails is passed over, and asked again next time.
      c = new RedisClient({ ...this.connectionOptions, host: at.host, port: at.port, reconnect: false });
      c.on('error', () => {});
      this.queryClients.set(key, c);
    }
    return c;
  }

  /** @internal A new client of one sentinel for a subscription (its own reconnect policy applies). */
  subscriberClient(at: ServerAddress): RedisClient {
    return new RedisClient({ ...this.connectionOptions, host: at.host, port: at.port });
  }

  /** @internal */
  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal A sentinel failed to answer: its client goes, and listeners hear it once. */
  markDown(at: ServerAddress, error: Error): void {
    const key = addressKey(at);
    const c = this.queryClients.get(key);
    if (c !== undefined) {
      this.queryClients.delete(key);
      c.disconnect();
    }
    if (this.down.has(key)) return;
    this.down.add(key);
    for (const w of this.watchers.values()) w.emitIfListened('sentinelDown', { sentinel: { ...at }, error });
  }

  /** @internal */
  markUp(at: ServerAddress): void {
    if (!this.down.delete(addressKey(at))) return;
    for (const w of this.watchers.values()) w.emitIfListened('sentinelUp', { sentinel: { ...at } });
  }

  /** @internal The sentinel that answered is asked first next time. */
  promote(at: ServerAddress): void {
    const i = this.list.findIndex((x) => sameAddress(x, at));
    if (i > 0) this.list.unshift(...this.list.splice(i, 1));
  }

  /** @internal A sentinel heard of from the others; true when it is new. */
  learn(at: ServerAddress): boolean {
    if (this.list.some((x) => sameAddress(x, at))) return false;
    this.list.push({ ...at });
    for (const w of this.watchers.values()) {
      w.emitIfListened('sentinelAdded', { sentinel: { ...at } });
      w.subscribeAll();
    }
    return true;
  }

  /** @internal Asks each sentinel in turn until one gives a usable answer; the error names them all. */
  async askInTurn<T>(what: string, fn: (c: RedisClient) => Promise<T | Skip>, NotFound: typeof PrimaryNotFoundError): Promise<T> {
    if (this.closed) throw new ClientClosedError('the sentinel was closed');
    const reasons: string[] = [];
    for (const at of [...this.list]) {
      let answer: T | Skip;
      try {
        answer = await fn(this.sentinelClient(at));
      } catch (e) {
        const err = e instanceof Error ? e : new ConnectionError(String(e));
        if (!(err instanceof ResponseError)) this.markDown(at, err);
        reasons.push(`${addressKey(at)} (${err.message})`);
        continue;
      }
      this.markUp(at);
      if (answer instanceof Skip) {
        reasons.push(`${addressKey(at)} (${answer.reason})`);
        continue;
      }
      this.promote(at);
      return answer;
    }
    throw new NotFound(`${what}: no sentinel could say; asked ${reasons.join(', ')}`);
  }

  /** @internal */
  forget(name: string, w: SentinelWatcher): void {
    if (this.watchers.get(name) === w) this.watchers.delete(name);
  }
}

/** What a sentinel says about the primary. */
interface PrimaryAnswer {
  address: ServerAddress;
  epoch: number;
}

interface Hold {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly timer: NodeJS.Timeout;
}

interface Subscription {
  readonly client: RedisClient;
  readonly sub: PubSub;
}

/** The instance an event is about: `<type> <name> <ip> <port> @ <master> <mip> <mport>`, or `master <name> <ip> <port>`. */
function parseEventInstance(data: string): { type: string; host: string; port: number; master: string } | null {
  const p = data.split(' ');
  if (p.length < 4) return null;
  const master = p[0] === 'master' ? p[1]! : p[4] === '@' ? p[5]! : null;
  if (master === null) return null;
  return { type: p[0]!, host: p[2]!, port: Number(p[3]), master };
}

function roleOf(reply: RespValue): string {
  if (!Array.isArray(reply) || reply.length === 0) return '?';
  const r = reply[0];
  return Buffer.isBuffer(r) ? r.toString() : String(r);
}

/**
 * Everything known about one primary name: where the primary and its replicas are, the sentinels'
 * event subscriptions, and the clients that follow it. Emits SentinelEvents. @internal (reached
 * through `client.sentinel`).
 */
export class SentinelWatcher extends EventEmitter<SentinelEvents> {
  private current: ServerAddress | null = null;
  private replicaList: ServerAddress[] = [];
  /** The highest config epoch seen; answers below `minEpoch` are from sentinels that missed a failover. */
  private epoch = 0;
  private minEpoch = 0;
  private primaryFreshUntil = 0;
  private replicasFreshUntil = 0;
  private readonly downReplicas = new Set<string>();
  /** Every replica ever seen, so that replicaAdded is said once per replica. */
  private readonly seenReplicas = new Set<string>();
  private holding: Hold | null = null;
  private discovering: Promise<PrimaryAnswer> | null = null;
  private discoveringReplicas: Promise<ServerAddress[]> | null = null;
  private readonly clients = new Set<SentinelClient>();
  private readonly subs = new Map<string, Subscription>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private roundRobin = 0;
  private closed = false;

  constructor(
    private readonly sentinel: Sentinel,
    readonly name: string,
  ) {
    super();
  }

  /** Where the primary is, as far as this client knows (null before it was first found). */
  get primary(): ServerAddress | null {
    return this.current && { ...this.current };
  }

  /** The healthy replicas, as the sentinels last said. */
  get replicas(): ServerAddress[] {
    return this.replicaList.map((r) => ({ ...r }));
  }

  /** @internal */
  emitIfListened<K extends keyof SentinelEvents>(event: K, ...args: SentinelEvents[K]): void {
    if (this.listenerCount(event) > 0) (this.emit as (e: K, ...a: SentinelEvents[K]) => boolean)(event, ...args);
  }

  /** @internal A client that follows this primary. */
  client(role: SentinelRole, options: SentinelClientOptions, owner: Sentinel | null = null): SentinelClient {
    if (role !== 'primary' && role !== 'replica') throw new DataError(`sentinel role must be 'primary' or 'replica', got ${String(role)}`);
    if (typeof options !== 'object' || options === null) throw new DataError('sentinel client options must be an object');
    const { replicaFallback, ...rest } = options;
    const resolver = role === 'primary' ? this.primaryResolver() : this.replicaResolver(replicaFallback !== false);
    const c = new SentinelClient(this, role, { ...rest, resolver }, owner);
    this.clients.add(c);
    this.start();
    return c;
  }

  /** @internal */
  detach(c: SentinelClient): void {
    this.clients.delete(c);
    if (this.clients.size === 0) void this.stop();
  }

  // ---- resolving ---------------------------------------------------------------------------------

  private primaryResolver(): AddressResolver {
    return {
      resolve: () => this.resolvePrimary(),
      verify: async (at, send) => {
        const role = roleOf(await send(['ROLE']));
        if (role !== 'master') {
          this.primaryFreshUntil = 0;
          throw new ConnectionError(`${addressKey(at)} is not the primary of "${this.name}" (its ROLE is ${role})`);
        }
        // A failover began, or the primary moved, while this connection was being made.
        if (this.holding !== null || (this.current !== null && !sameAddress(at, this.current))) {
          throw new ConnectionError(`the primary of "${this.name}" moved while connecting to ${addressKey(at)}`);
        }
      },
    };
  }

  private replicaResolver(fallback: boolean): AddressResolver {
    return {
      resolve: () => this.resolveReplica(fallback),
      verify: async (at, send) => {
        const role = roleOf(await send(['ROLE']));
        if (role === 'slave') return;
        if (role === 'master' && fallback && sameAddress(at, this.current) && this.healthyReplicas().length === 0) return;
        this.replicasFreshUntil = 0;
        throw new ConnectionError(`${addressKey(at)} is not a replica of "${this.name}" (its ROLE is ${role})`);
      },
    };
  }

  private async resolvePrimary(): Promise<ServerAddress> {
    while (this.holding !== null) await this.holding.promise;
    if (this.closed) throw new ClientClosedError('the sentinel client was closed');
    if (this.current !== null && Date.now() < this.primaryFreshUntil) return { ...this.current };
    return { ...(await this.discoverPrimary()).address };
  }

  private healthyReplicas(): ServerAddress[] {
    return this.replicaList.filter((r) => !this.downReplicas.has(addressKey(r)) && !sameAddress(r, this.current));
  }

  private async resolveReplica(fallback: boolean): Promise<ServerAddress> {
    if (this.closed) throw new ClientClosedError('the sentinel client was closed');
    let failure: Error | null = null;
    if (Date.now() >= this.replicasFreshUntil) {
      try {
        await this.discoverReplicas();
      } catch (e) {
        failure = e as Error;
      }
    }
    const healthy = this.healthyReplicas();
    if (healthy.length > 0) return { ...healthy[this.roundRobin++ % healthy.length]! };
    if (fallback) return this.resolvePrimary();
    if (failure !== null) throw new ReplicaNotFoundError(failure.message, { cause: failure });
    throw new ReplicaNotFoundError(`no healthy replica of "${this.name}" is known (sentinels: ${this.sentinel.sentinels.map(addressKey).join(', ')})`);
  }

  // ---- asking the sentinels ------------------------------------------------------------------------

  /** Asks the sentinels in turn where the primary is; moves the clients if it is not where they are. */
  discoverPrimary(): Promise<PrimaryAnswer> {
    this.discovering ??= this.sentinel
      .askInTurn(`no primary found for "${this.name}"`, (c) => this.askPrimary(c), PrimaryNotFoundError)
      .then((answer) => {
        this.epoch = Math.max(this.epoch, answer.epoch);
        if (!sameAddress(answer.address, this.current)) this.moveTo(answer.address, 'refresh', answer.epoch);
        else this.minEpoch = Math.max(this.minEpoch, answer.epoch);
        this.primaryFreshUntil = Date.now() + ANSWER_TTL;
        return answer;
      })
      .finally(() => {
        this.discovering = null;
      });
    return this.discovering;
  }

  private async askPrimary(c: RedisClient): Promise<PrimaryAnswer | Skip> {
    let master: SentinelInstance;
    let addr: ServerAddress | null;
    try {
      [master, addr] = await Promise.all([c.sentinelMaster(this.name), c.sentinelGetMasterAddrByName(this.name)]);
    } catch (e) {
      // Sentinels that only know the PRIMARY-named subcommands (Valkey may drop the old names).
      if (!(e instanceof ResponseError) || !/unknown/i.test(e.message)) throw e;
      [master, addr] = await Promise.all([c.sentinelPrimary(this.name), c.sentinelGetPrimaryAddrByName(this.name)]);
    }
    if (addr === null) return new Skip(`does not know "${this.name}"`);
    // During a failover the leader names the promoted replica while its record still holds the old
    // primary's address and flags: the flags then speak of the old one.
    const moving = addr.host !== master.ip || addr.port !== master.port;
    if (!moving && master.flags.some((f) => f === 's_down' || f === 'o_down')) return new Skip('says the primary is down');
    const epoch = typeof master['config-epoch'] === 'number' ? master['config-epoch'] : Number(master['config-epoch']) || 0;
    if (epoch < this.minEpoch) return new Skip(`has not heard of the last failover (config epoch ${epoch})`);
    return { address: { host: addr.host, port: addr.port }, epoch };
  }

  /** Asks the sentinels in turn for the healthy replicas of the primary. */
  discoverReplicas(): Promise<ServerAddress[]> {
    this.discoveringReplicas ??= this.sentinel
      .askInTurn(
        `no replicas found for "${this.name}"`,
        async (c) => {
          const [addr, replicas] = await Promise.all([c.sentinelGetMasterAddrByName(this.name), c.sentinelReplicas(this.name)]);
          if (addr === null) return new Skip(`does not know "${this.name}"`);
          const healthy = replicas
            .filter(
              (r) =>
                !r.flags.some((f) => DOWN_FLAGS.has(f)) &&
                r['master-link-status'] === 'ok' &&
                String(r['master-host']) === addr.host &&
                Number(r['master-port']) === addr.port,
            )
            .map((r) => ({ host: r.ip, port: Number(r.port) }));
          return { primary: addr, healthy };
        },
        ReplicaNotFoundError,
      )
      .then(({ primary, healthy: list }) => {
        for (const r of list) {
          const key = addressKey(r);
          this.downReplicas.delete(key);
          if (this.seenReplicas.has(key)) continue;
          this.seenReplicas.add(key);
          this.emitIfListened('replicaAdded', { name: this.name, replica: { ...r } });
        }
        this.replicaList = list;
        this.replicasFreshUntil = Date.now() + ANSWER_TTL;
        // Replica clients that fell back to the primary go back to the replicas.
        if (this.healthyReplicas().length > 0) {
          for (const c of this.clients) if (c.sentinelRole === 'replica') c.relocate((conn) => sameAddress(conn.options as ServerAddress, primary));
        }
        return list.map((r) => ({ ...r }));
      })
      .finally(() => {
        this.discoveringReplicas = null;
      });
    return this.discoveringReplicas;
  }

  /** Replicas came or went: replica clients ask again, so that those on the primary can go back. */
  private replicasChanged(): void {
    if ([...this.clients].some((c) => c.sentinelRole === 'replica')) void this.discoverReplicas().catch(() => {});
  }

  /** Everything again: the primary, the replicas, the sentinels, the subscriptions. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        if (this.holding === null) await this.discoverPrimary();
        if ([...this.clients].some((c) => c.sentinelRole === 'replica')) await this.discoverReplicas();
        const first = this.sentinel.sentinels[0];
        if (first !== undefined) {
          const others = await this.sentinel.sentinelClient(first).sentinelSentinels(this.name);
          for (const s of others) this.sentinel.learn({ host: s.ip, port: Number(s.port) });
        }
      } catch (e) {
        this.emitIfListened('error', e as Error);
      } finally {
        this.subscribeAll();
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  // ---- following -----------------------------------------------------------------------------------

  /** The primary is now at `to`: every primary client moves there at once. */
  private moveTo(to: ServerAddress, reason: SwitchEvent['reason'], epoch?: number): void {
    if (sameAddress(to, this.current)) {
      // Heard again (every sentinel announces a switch): only a hold may still need ending.
      this.endHold();
      return;
    }
    const from = this.current;
    this.current = { host: to.host, port: to.port };
    // Learned from an event: newer than anything a sentinel said before it.
    this.minEpoch = epoch ?? this.epoch + 1;
    if (epoch !== undefined) this.epoch = Math.max(this.epoch, epoch);
    this.primaryFreshUntil = Date.now() + ANSWER_TTL * 4;
    this.replicasFreshUntil = 0;
    this.endHold();
    if (from !== null) this.emitIfListened('switch', { name: this.name, from: { ...from }, to: { ...to }, reason });
    for (const c of this.clients) c.follow(from, this.current);
  }

  /** A failover started: primary clients stop writing to the old primary until the new one is known. */
  private hold(candidate: ServerAddress | null): void {
    if (this.closed) return;
    if (this.holding !== null) {
      // Now the candidate is known: replica clients leave it before it is promoted.
      if (candidate !== null) for (const c of this.clients) if (c.sentinelRole === 'replica') c.holdFor(candidate);
      return;
    }
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const timer = setTimeout(() => {
      if (this.holding === null) return;
      this.endHold();
      this.primaryFreshUntil = 0;
      this.emitIfListened('failoverAbort', { name: this.name, reason: `no new primary within ${this.sentinel.failoverHoldMs} ms` });
      void this.refresh();
    }, this.sentinel.failoverHoldMs);
    timer.unref();
    this.holding = { promise, resolve, timer };
    this.emitIfListened('failoverStart', { name: this.name, primary: this.current && { ...this.current }, candidate: candidate && { ...candidate } });
    for (const c of this.clients) c.holdFor(candidate);
  }

  private endHold(): void {
    const h = this.holding;
    if (h === null) return;
    this.holding = null;
    clearTimeout(h.timer);
    h.resolve();
  }

  /** @internal A primary client got READONLY from `at`: it is not the primary any more. */
  readonlyFrom(at: ServerAddress): void {
    if (sameAddress(at, this.current)) this.primaryFreshUntil = 0;
    for (const c of this.clients) if (c.sentinelRole === 'primary') c.relocate((conn) => sameAddress(conn.options as ServerAddress, at));
    void this.discoverPrimary().catch(() => {});
  }

  private onEvent(channel: string, data: string): void {
    if (channel === '+switch-master') {
      // <name> <old ip> <old port> <new ip> <new port>
      const p = data.split(' ');
      if (p[0] === this.name && p.length >= 5) this.moveTo({ host: p[3]!, port: Number(p[4]) }, 'switch-master');
      return;
    }
    const ev = parseEventInstance(data);
    if (ev === null || ev.master !== this.name) return;
    const at = { host: ev.host, port: ev.port };
    switch (channel) {
      case '+elected-leader':
        // The leader will promote a replica within a few timer ticks; holding from here leaves the
        // replica that much longer to receive what the old primary acknowledged last.
        if (ev.type === 'master') this.hold(null);
        return;
      case '+failover-state-send-slaveof-noone':
        this.hold(at);
        return;
      case '+promoted-slave':
        this.moveTo(at, 'promoted-slave');
        return;
      case '+sdown':
        if (ev.type === 'master') this.emitIfListened('primaryDown', { name: this.name, primary: at });
        else if (ev.type === 'slave' && !this.downReplicas.has(addressKey(at))) {
          this.downReplicas.add(addressKey(at));
          this.emitIfListened('replicaDown', { name: this.name, replica: at });
          for (const c of this.clients) if (c.sentinelRole === 'replica') c.relocate((conn) => sameAddress(conn.options as ServerAddress, at));
        }
        return;
      case '-sdown':
        if (ev.type === 'slave' && this.downReplicas.delete(addressKey(at))) {
          this.replicasFreshUntil = 0;
          this.emitIfListened('replicaUp', { name: this.name, replica: at });
          this.replicasChanged();
        }
        return;
      case '+slave':
        this.replicasFreshUntil = 0;
        if (!this.seenReplicas.has(addressKey(at))) {
          this.seenReplicas.add(addressKey(at));
          this.emitIfListened('replicaAdded', { name: this.name, replica: at });
        }
        this.replicasChanged();
        return;
      case '+sentinel':
        this.sentinel.learn(at);
        return;
      case '+convert-to-slave':
      case '+slave-reconf-done':
        this.replicasFreshUntil = 0;
        this.replicasChanged();
        return;
    }
    if (channel.startsWith('-failover-abort') && this.holding !== null) {
      this.endHold();
      this.primaryFreshUntil = 0;
      this.emitIfListened('failoverAbort', { name: this.name, reason: channel.slice(1) });
      void this.refresh();
    }
  }

  /** @internal Subscribes to the events of every known sentinel that has no subscription yet. */
  subscribeAll(): void {
    if (this.closed || this.clients.size === 0) return;
    for (const at of this.sentinel.sentinels) {
      const key = addressKey(at);
      if (this.subs.has(key)) continue;
      const client = this.sentinel.subscriberClient(at);
      client.on('error', () => {});
      const sub = client.pubsub({ healthCheckInterval: 5_000 });
      this.subs.set(key, { client, sub });
      sub.on('message', (m) => this.onEvent(m.channel, m.data));
      sub.on('disconnected', () => this.sentinel.markDown(at, new ConnectionError(`the event subscription to sentinel ${key} broke`)));
      sub.on('resubscribed', () => {
        this.sentinel.markUp(at);
        // Events may have been missed while it was away.
        void this.refresh();
      });
      const drop = (err: Error): void => {
        if (this.subs.get(key)?.sub !== sub) return;
        this.subs.delete(key);
        this.sentinel.markDown(at, err);
        void sub.close().finally(() => client.disconnect());
      };
      sub.on('error', drop);
      // The leader of a failover announces it first; any sentinel may lead, so all are listened to.
      sub.psubscribe('*').catch(drop);
    }
  }

  private start(): void {
    if (this.timer !== null || this.closed) return;
    this.subscribeAll();
    if (this.sentinel.refreshInterval > 0) {
      this.timer = setInterval(() => void this.refresh(), this.sentinel.refreshInterval);
      this.timer.unref();
    }
  }

  private async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const subs = [...this.subs.values()];
    this.subs.clear();
    await Promise.all(
      subs.map(async ({ client, sub }) => {
        await sub.close().catch(() => {});
        client.disconnect();
      }),
    );
  }

  /** @internal */
  async close(): Promise<void> {
    this.closed = true;
    this.endHold();
    const clients = [...this.clients];
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await this.stop();
    this.sentinel.forget(this.name, this);
  }
}

/** `createSentinel`'s options: where the sentinels are, which primary, which role, and client options. */
export interface CreateSentinelOptions extends SentinelOptions, SentinelClientOptions {
  sentinels: ReadonlyArray<SentinelAddressInput>;
  /** The primary's name, as in `sentinel monitor <name> …`. */
  name: string;
  /** 'primary' (default) or 'replica'. */
  role?: SentinelRole;
}

/**
 * A client of the primary (or, with `role: 'replica'`, of the replicas) that the sentinels name, and
 * that follows it through failovers. Every standalone client option applies to its data connections.
 * Closing it closes its sentinel connections too.
 */
export function createSentinel(options: CreateSentinelOptions): SentinelClient {
  if (typeof options !== 'object' || options === null) throw new DataError('createSentinel: options must be an object');
  const { sentinels, name, role, sentinelOptions, refreshInterval, failoverHoldMs, ...clientOptions } = options;
  const sentinelSettings: SentinelOptions = {};
  if (sentinelOptions !== undefined) sentinelSettings.sentinelOptions = sentinelOptions;
  if (refreshInterval !== undefined) sentinelSettings.refreshInterval = refreshInterval;
  if (failoverHoldMs !== undefined) sentinelSettings.failoverHoldMs = failoverHoldMs;
  const sentinel = new Sentinel(sentinels, sentinelSettings);
  return sentinel.watch(name).client(role ?? 'primary', clientOptions, sentinel);
}
