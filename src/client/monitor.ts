import { EventEmitter } from 'node:events';
import type { Connection } from '../connection/connection.js';
import { ClientClosedError, ConnectionError, InvalidResponse, TimeoutError } from '../errors.js';
import type { RespValue } from '../protocol/parser.js';
import { MessageStream, OwnConnection, type OwnConnectionHost } from './pubsub.js';

/** One command the server ran, as MONITOR reports it. */
export interface MonitorEvent {
  /** When it ran: Unix time in seconds, with microseconds. */
  time: number;
  db: number;
  /** Who sent it: `127.0.0.1:52341`, `[::1]:52341`, `unix:/path/to.sock`, or `lua` for a script. */
  client: string;
  /** The command's name as the client sent it (case included). */
  command: string;
  args: string[];
  /** The line as the server wrote it. */
  raw: string;
}

/** The events a MONITOR session emits: each command the server ran, the (re)confirmation, failures and the end. */
export interface MonitorEvents {
  command: [event: MonitorEvent];
  /** The server confirmed MONITOR: at the start, and again on a new connection after a break. */
  monitoring: [];
  /** A failure nobody awaits (a line that could not be read, reconnecting given up). Only when listened to. */
  error: [error: Error];
  end: [];
}

/** Settings of `monitor()`: how many events its async iterator holds for a consumer that lags. */
export interface MonitorOptions {
  /** How many events the async iterator may hold for a consumer that is behind. Default 100 000. */
  maxBuffered?: number;
}

export type MonitorHost = OwnConnectionHost;

const LINE = /^(\d+(?:\.\d+)?) \[(\d+) (.*?)\] (.*)$/s;

/** Reads MONITOR's quoting (sdscatrepr: `\"`, `\\`, `\n`, `\r`, `\t`, `\a`, `\b`, `\xHH`). */
function parseArgs(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    if (s[i] !== '"') throw new InvalidResponse('a MONITOR line has an argument without quotes');
    i++;
    const bytes: number[] = [];
    for (;;) {
      if (i >= s.length) throw new InvalidResponse('a MONITOR line has an unterminated argument');
      const ch = s[i]!;
      if (ch === '"') {
        i++;
        break;
      }
      if (ch === '\\' && i + 1 < s.length) {
        const e = s[i + 1]!;
        if (e === 'x' && i + 3 < s.length) {
          bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        const map: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, '"': 34, '\\': 92 };
        bytes.push(map[e] ?? e.charCodeAt(0));
        i += 2;
        continue;
      }
      // The server escapes everything outside printable ASCII, so a character is a byte.
      bytes.push(ch.charCodeAt(0) & 0xff);
      i++;
    }
    out.push(Buffer.from(bytes).toString('utf8'));
  }
  return out;
}

/** Reads one MONITOR line: `1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"`. */
export function parseMonitorLine(line: string): MonitorEvent {
  const m = LINE.exec(line);
  if (m === null) throw new InvalidResponse('a MONITOR line did not have the expected form');
  const words = parseArgs(m[4]!);
  return { time: Number(m[1]), db: Number(m[2]), client: m[3]!, command: words[0] ?? '', args: words.slice(1), raw: line };
}

/**
 * MONITOR on a connection of its own: every command the server runs, parsed, as 'command' events and
 * through `for await`. After a break it monitors again on a new connection (commands run in between
 * are not seen). MONITOR costs the server real throughput; `stop()` when done.
 */
export class Monitor extends EventEmitter<MonitorEvents> implements AsyncIterable<MonitorEvent> {
  private readonly link: OwnConnection;
  private readonly maxBuffered: number;
  private readonly streams = new Set<MessageStream<MonitorEvent>>();
  private stopped = false;
  /**
   * 'awaiting': MONITOR is written and its +OK not seen, so the next reply is that, not a line.
   * 'off' while (re)connecting: the handshake's replies are not lines either.
   */
  private mode: 'off' | 'awaiting' | 'on' = 'off';
  private started: { resolve(): void; reject(e: unknown): void } | null = null;

  private constructor(host: MonitorHost, options: MonitorOptions) {
    super();
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.link = new OwnConnection(host, {
      attach: (conn) => {
        conn.options.healthCheckInterval = 0;
        conn.replyInterceptor = (reply) => this.intercept(reply);
        // Its replies are MONITOR lines: an AUTH's +OK would be taken for one. A new connection
        // authenticates with the renewed credentials and starts MONITOR again.
        conn.reauthHandler = () => {
          conn.disconnect();
          return true;
        };
      },
      detach: () => {},
      ready: (conn) => this.start(conn),
      lost: () => {
        this.mode = 'off';
      },
      failed: (err, first) => this.fail(err, first),
      close: () => this.stop(),
    });
  }

  /** @internal Made by `client.monitor()`: resolves once the server confirmed MONITOR. */
  static async open(host: MonitorHost, options: MonitorOptions = {}): Promise<Monitor> {
    const monitor = new Monitor(host, options);
    const started = new Promise<void>((resolve, reject) => {
      monitor.started = { resolve, reject };
    });
    monitor.link.open().catch(() => {});
    try {
      await started;
    } catch (e) {
      await monitor.stop();
      throw e;
    }
    return monitor;
  }

  /** The connection in use (e.g. to find it in CLIENT LIST). */
  get connection(): Connection | null {
    return this.link.lease?.connection ?? null;
  }

  private start(conn: Connection): void {
    if (this.stopped) return;
    this.mode = 'awaiting';
    conn.send(['MONITOR']).then(
      () => {
        const s = this.started;
        this.started = null;
        s?.resolve();
        this.emit('monitoring');
      },
      (e: unknown) => {
        const s = this.started;
        this.started = null;
        if (s !== null) s.reject(e);
        // Broken again: the next connection starts it again. Anything else (NOPERM…) is final.
        else if (!(e instanceof ConnectionError || e instanceof TimeoutError)) this.fail(e, false);
      },
    );
  }

  private intercept(reply: RespValue): boolean {
    if (this.mode === 'awaiting') {
      this.mode = reply instanceof Error ? 'off' : 'on';
      return false;
    }
    if (this.mode === 'off' || typeof reply !== 'string' || this.stopped) return false;
    let event: MonitorEvent;
    try {
      event = parseMonitorLine(reply);
    } catch (e) {
      if (this.listenerCount('error') > 0) this.emit('error', e as Error);
      return true;
    }
    this.emit('command', event);
    for (const s of this.streams) s.push(event);
    return true;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<MonitorEvent> {
    return MessageStream.open(this.streams, this.maxBuffered, this.stopped);
  }

  /** Ends monitoring: iterators finish, the connection is closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of [...this.streams]) s.fail(null);
    await this.link.close();
    this.emit('end');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private fail(e: unknown, first: boolean): void {
    const err = e instanceof Error ? e : new ClientClosedError(String(e));
    if (first) {
      const s = this.started;
      this.started = null;
      s?.reject(err);
      return;
    }
    if (this.stopped) return;
    for (const s of [...this.streams]) s.fail(err);
    if (this.listenerCount('error') > 0) this.emit('error', err);
    void this.stop();
  }
}
