// The clients the benchmark compares, each behind the same small interface. To add a client (a
// pooled redwire, valkey-glide…), write one more entry in CLIENTS: the workloads, the rounds and the
// table pick it up from there.

import { Redis as IORedis } from 'ioredis';
import { createClient as createNodeRedis, RESP_TYPES } from 'redis';
import { Batch, Decoder, GlideClient } from '@valkey/valkey-glide';
import { createClient as createRedwire, type RedisClient } from '../src/index.js';
import { instrument, type Instrumentation } from '../src/otel/index.js';
import { AlwaysOffSampler, BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { RawBench } from './raw.js';
import { connectBun } from './bun.js';

export interface Target {
  host: string;
  port: number;
}

/** What every workload needs from a client. Replies are returned as each library gives them. */
export interface BenchClient {
  /** Called around each check and timed run (the OpenTelemetry variant subscribes only then). */
  enter?(): void;
  leave?(): void;
  set(key: string, value: string | Buffer): Promise<unknown>;
  get(key: string): Promise<unknown>;
  /** GET with the value as a Buffer (or the library's binary type). */
  getBuffer(key: string): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<unknown>;
  /** One explicit pipeline of SETs (or the client's closest equivalent), resolving when all replied. */
  pipelineSet(keys: readonly string[], value: string): Promise<unknown>;
  /**
   * The replies of `pipelineSet` as plain values. Kept out of `pipelineSet` itself so that reshaping
   * a library's reply format is only paid by the correctness check, never by the timed loop.
   */
  pipelineReplies(raw: unknown): unknown[];
  close(): Promise<void>;
  /**
   * Set by a client that runs in another process (bench/remote.ts): the workloads are checked and
   * run there, by name, and only the results come back.
   */
  remote?: {
    check(workload: string): Promise<void>;
    run(workload: string, ms: number): Promise<import('./workloads.js').RunResult>;
  };
}

export interface ClientSpec {
  /** Column name in the table and key in the JSON. */
  name: string;
  /** The client whose ratios to the others are reported. Exactly one spec sets it. */
  subject?: boolean;
  /**
   * What the row is, when it is not a peer: 'ceiling' (raw socket: counts replies, has no values to
   * check) or 'variant' (another configuration of the subject). Neither enters the peer ratios.
   */
  role?: 'ceiling' | 'variant';
  connect(target: Target): Promise<BenchClient>;
  /** connect() starts a process of its own (Bun); the others are put in one by bench/node-child.ts. */
  ownProcess?: boolean;
  /** What the `pipe` workload used for this client, shown under the table. */
  pipelineNote: string;
}

// ---- redwire ------------------------------------------------------------------------------------------

class RedwireBench implements BenchClient {
  private readonly binary: RedisClient<Buffer>;

  constructor(readonly client: RedisClient) {
    this.binary = client.withBuffers();
  }

  set(key: string, value: string | Buffer): Promise<unknown> {
    return this.client.set(key, value);
  }
  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.binary.get(key);
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.client.lrange(key, start, stop);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    const p = this.client.pipeline();
    for (let i = 0; i < keys.length; i++) p.set(keys[i]!, value);
    return p.exec();
  }
  pipelineReplies(raw: unknown): unknown[] {
    return unwrapPairs(raw as unknown[]);
  }
  close(): Promise<void> {
    return this.client.close();
  }
}

// ---- ioredis ------------------------------------------------------------------------------------------

class IORedisBench implements BenchClient {
  constructor(readonly client: IORedis) {}

  set(key: string, value: string | Buffer): Promise<unknown> {
    return this.client.set(key, value);
  }
  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.client.getBuffer(key);
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.client.lrange(key, start, stop);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    const p = this.client.pipeline();
    for (let i = 0; i < keys.length; i++) p.set(keys[i]!, value);
    return p.exec();
  }
  pipelineReplies(raw: unknown): unknown[] {
    return unwrapPairs(raw as unknown[]);
  }
  async close(): Promise<void> {
    await this.client.quit();
  }
}

async function connectIORedis(target: Target, autoPipelining: boolean): Promise<BenchClient> {
  const client = new IORedis({ host: target.host, port: target.port, lazyConnect: true, enableAutoPipelining: autoPipelining });
  await client.connect();
  return new IORedisBench(client);
}

// ---- node-redis ---------------------------------------------------------------------------------------

function nodeRedisFor(target: Target) {
  return createNodeRedis({ socket: { host: target.host, port: target.port } });
}
type NodeRedis = ReturnType<typeof nodeRedisFor>;

class NodeRedisBench implements BenchClient {
  private readonly binary;

  constructor(readonly client: NodeRedis) {
    this.binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  set(key: string, value: string | Buffer): Promise<unknown> {
    return this.client.set(key, value);
  }
  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.binary.get(key);
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.client.lRange(key, start, stop);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    const m = this.client.multi();
    for (let i = 0; i < keys.length; i++) m.set(keys[i]!, value);
    return m.execAsPipeline();
  }
  pipelineReplies(raw: unknown): unknown[] {
    return raw as unknown[];
  }
  close(): Promise<void> {
    return this.client.close();
  }
}

// ---- valkey-glide -------------------------------------------------------------------------------------

class GlideBench implements BenchClient {
  constructor(readonly client: GlideClient) {}

  set(key: string, value: string | Buffer): Promise<unknown> {
    return this.client.set(key, value);
  }
  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.client.get(key, { decoder: Decoder.Bytes });
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.client.lrange(key, start, stop);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    const batch = new Batch(false);
    for (let i = 0; i < keys.length; i++) batch.set(keys[i]!, value);
    return this.client.exec(batch, true);
  }
  pipelineReplies(raw: unknown): unknown[] {
    return raw as unknown[];
  }
  async close(): Promise<void> {
    this.client.close();
  }
}

/** Drops every span: the bench measures making them, not shipping them. */
class NullExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class NullReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class OtelRedwireBench extends RedwireBench {
  private readonly tracerProvider: BasicTracerProvider;
  private readonly meterProvider = new MeterProvider({ readers: [new NullReader()] });
  private otel: Instrumentation | null = null;
  /** `sampled: false`: every span sampled out by the SDK, so what is left is redwire/otel's own cost and the histogram. */
  constructor(client: RedisClient, sampled = true) {
    super(client);
    this.tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new NullExporter())],
      ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
    });
  }
  enter(): void {
    this.otel ??= instrument({ tracerProvider: this.tracerProvider, meterProvider: this.meterProvider });
  }
  leave(): void {
    this.otel?.disable();
    this.otel = null;
  }
}

// ---- the table ----------------------------------------------------------------------------------------

/** ioredis-style `[error, value]` pairs to values (an error becomes the value, so a check sees it). */
function unwrapPairs(replies: unknown[]): unknown[] {
  return replies.map((r) => (Array.isArray(r) && r.length === 2 && (r[0] === null || r[0] instanceof Error) ? (r[0] ?? r[1]) : r));
}

export const CLIENTS: ClientSpec[] = [
  {
    name: 'redwire',
    subject: true,
    async connect(target) {
      const client = createRedwire({ host: target.host, port: target.port });
      await client.connect();
      return new RedwireBench(client);
    },
    pipelineNote: 'client.pipeline()',
  },
  {
    name: 'redwire ×4',
    role: 'variant',
    async connect(target) {
      // One client spread over four multiplexed connections, each command to the least loaded.
      const client = createRedwire({ host: target.host, port: target.port, connections: 4 });
      await client.connect();
      return new RedwireBench(client);
    },
    pipelineNote: 'client.pipeline() (a pipeline stays on one connection)',
  },
  {
    name: 'redwire stack',
    role: 'variant',
    async connect(target) {
      // What captureStack costs: a stack captured per command, for errors that point at the caller.
      const client = createRedwire({ host: target.host, port: target.port, captureStack: true });
      await client.connect();
      return new RedwireBench(client);
    },
    pipelineNote: 'client.pipeline(), captureStack: true',
  },
  {
    name: 'redwire otel',
    role: 'variant',
    async connect(target) {
      // What redwire/otel costs: a span per command through a real SDK pipeline (exported to
      // nowhere), the duration histogram recorded. Subscribed only while this variant runs, since
      // the channels are process-wide and the other rows must stay untraced.
      const client = createRedwire({ host: target.host, port: target.port });
      await client.connect();
      return new OtelRedwireBench(client);
    },
    pipelineNote: 'client.pipeline(), traced by redwire/otel (one span per pipeline)',
  },
  {
    name: 'redwire otel sampled out',
    role: 'variant',
    async connect(target) {
      // The same, with the SDK sampling every span out: the floor a sampling SDK can bring it to.
      const client = createRedwire({ host: target.host, port: target.port });
      await client.connect();
      return new OtelRedwireBench(client, false);
    },
    pipelineNote: 'client.pipeline(), redwire/otel with AlwaysOffSampler',
  },
  {
    name: 'ioredis',
    connect: (target) => connectIORedis(target, false),
    pipelineNote: 'pipeline()',
  },
  {
    name: 'ioredis (auto)',
    connect: (target) => connectIORedis(target, true),
    pipelineNote: 'pipeline(), with enableAutoPipelining',
  },
  {
    name: 'node-redis',
    async connect(target) {
      const client = nodeRedisFor(target);
      client.on('error', () => {});
      await client.connect();
      return new NodeRedisBench(client);
    },
    pipelineNote: 'multi().execAsPipeline()',
  },
  {
    name: 'glide',
    async connect(target) {
      // Its default 250 ms request timeout fails the 8 MB rows on a busy machine.
      const client = await GlideClient.createClient({ addresses: [{ host: target.host, port: target.port }], requestTimeout: 10_000 });
      return new GlideBench(client);
    },
    pipelineNote: 'exec(new Batch(false))',
  },
  {
    name: 'bun',
    // Bun's native RedisClient, under Bun in a child process that runs the same workload file.
    connect: (target) => connectBun(target),
    ownProcess: true,
    pipelineNote: '1,000 SETs issued at once (auto-pipelined; RedisClient has no pipeline object)',
  },
  {
    name: 'raw',
    role: 'ceiling',
    connect: (target) => RawBench.connect(target),
    pipelineNote: '1,000 pre-encoded SETs in one write',
  },
];
