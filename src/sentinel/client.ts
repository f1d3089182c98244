import { RedisClient, type ClientOptions } from '../client/client.js';
import type { MethodDef } from '../commands/command.js';
import type { ServerAddress } from '../connection/options.js';
import { ReadOnlyError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { Sentinel, SentinelRole, SentinelWatcher } from './sentinel.js';

/** The options of a sentinel-managed client: every standalone option but where to connect. */
export interface SentinelClientOptions extends Omit<ClientOptions, 'host' | 'port' | 'path' | 'url' | 'resolver'> {
  /** Replica clients: use the primary while no replica is healthy. Default true. */
  replicaFallback?: boolean;
}

const sameAddress = (a: ServerAddress | null, b: ServerAddress | null): boolean =>
  a !== null && b !== null && a.port === b.port && a.host === b.host;

function addressOf(options: { host?: string; port?: number }): ServerAddress | null {
  return options.host !== undefined && options.port !== undefined ? { host: options.host, port: options.port } : null;
}

/**
 * A client of the primary (or the replicas) a group of sentinels names: the standalone client, whose
 * connections ask the sentinels where to go and move when they say the primary moved. Everything a
 * RedisClient does works here: commands, pipelines, transactions, pub/sub, pools, blocking commands.
 */
export class SentinelClient extends RedisClient {
  constructor(
    /** The sentinels' view of this primary, and their events (`switch`, `sentinelDown`, …). */
    readonly sentinel: SentinelWatcher,
    readonly sentinelRole: SentinelRole,
    options: ClientOptions,
    private readonly owner: Sentinel | null,
  ) {
    super(options);
  }

  /** Where the main connection is (or last was) connected. */
  get address(): ServerAddress | null {
    return addressOf(this.connection.options);
  }

  override sendCommand(def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    const p = super.sendCommand(def, argv);
    if (this.sentinelRole !== 'primary' || this.isolation !== null) return p;
    return p.catch((e: unknown) => this.afterReadOnly(e, () => super.sendCommand(def, argv)));
  }

  override call(name: string, ...args: RedisArg[]): Promise<RespValue> {
    const p = super.call(name, ...args);
    if (this.sentinelRole !== 'primary' || this.isolation !== null) return p;
    return p.catch((e: unknown) => this.afterReadOnly(e, () => super.call(name, ...args)));
  }

  /**
   * READONLY: the server this was sent to was demoted while the connection stayed open. The server
   * did not run the command, so it goes once more, to the primary the sentinels name now.
   */
  private afterReadOnly<T>(e: unknown, again: () => Promise<T>): Promise<T> {
    if (!(e instanceof ReadOnlyError)) return Promise.reject(e);
    const at = this.address;
    if (at !== null) this.sentinel.readonlyFrom(at);
    return again();
  }

  /** @internal The primary moved from `from` to `to`. */
  follow(_from: ServerAddress | null, to: ServerAddress): void {
    if (this.sentinelRole === 'primary') this.relocate((conn) => !sameAddress(addressOf(conn.options), to));
    // A replica that became the primary is no replica any more.
    else this.relocate((conn) => sameAddress(addressOf(conn.options), to));
  }

  /** @internal A failover started, promoting `candidate`. */
  holdFor(candidate: ServerAddress | null): void {
    // Primary clients stop writing to the old primary now; their new connections wait for the new one.
    if (this.sentinelRole === 'primary') this.relocate();
    else if (candidate !== null) this.relocate((conn) => sameAddress(addressOf(conn.options), candidate));
  }

  /** A new client of the same primary (or replicas), with this one's options as they are now. */
  override duplicate(overrides?: Omit<ClientOptions, 'url'>): SentinelClient {
    const { host: _h, port: _p, path: _path, resolver: _r, ...options } = { ...this.connection.options, ...overrides } as ClientOptions;
    return this.sentinel.client(this.sentinelRole, options);
  }

  override async close(): Promise<void> {
    this.sentinel.detach(this);
    await super.close();
    if (this.owner !== null) await this.owner.close();
  }

  override disconnect(): void {
    this.sentinel.detach(this);
    super.disconnect();
    if (this.owner !== null) void this.owner.close();
  }
}
