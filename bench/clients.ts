// redwire against its peers, the same workloads through every client, in one run on one server.
//
//   npm run bench                               the whole table (about 10 minutes)
//   npm run bench -- --only conc,pipe           some workloads
//   npm run bench -- --clients redwire,ioredis  some clients
//   npm run bench -- --duration 4 --rounds 8    longer, steadier numbers
//   npm run bench -- --json                     machine-readable results on stdout
//   npm run bench -- --server valkey            against valkey-server instead of redis-server
//   npm run bench -- --in-process               every Node client in this one process (see below)
//   npm run bench -- --cache                    the client-side cache against node-redis's (bench/cache.ts)
//   npm run bench -- --cluster                  cluster clients on a 3-primary cluster (bench/cluster.ts)
//
// It starts its own throwaway server (TCP on 127.0.0.1, nothing persisted). Each workload is checked
// once per client, warmed up, then measured in rounds; every round runs each client once, in an
// order that rotates from round to round, so slow drift (thermal, GC, the server's own state) is
// spread over all clients instead of landing on whichever runs last. The median round is reported.
// Each client runs in a process of its own (bench/child.ts), started afresh for each workload, so
// none pays for another's garbage (or an earlier workload's) or profits from another's process
// tuning (redwire's malloc settings, say): as in an application that uses one of them.

import os from 'node:os';
import { parseArgs } from 'node:util';
import { Redis as IORedis } from 'ioredis';
import { startServer, type ServerKind } from '../test/servers/index.js';
import { CLIENTS, type BenchClient, type ClientSpec } from './adapters.js';
import { RemoteBench } from './remote.js';
import { checkHere, runHere, WORKLOADS, type RunResult, type Workload } from './workloads.js';

interface Settings {
  /** Measured time per client per workload, in ms, split over the rounds. */
  durationMs: number;
  rounds: number;
  warmupMs: number;
  workloads: Workload[];
  clients: ClientSpec[];
  json: boolean;
  server: ServerKind;
  /** Node clients in this process instead of one process each (quicker to start, but they share a heap). */
  inProcess: boolean;
}

interface Cell {
  /** ops/s of each round, in the order run. */
  rounds: number[];
  median: number;
  /** Latency percentiles in ms over every operation of every round (workloads that record them). */
  p50?: number;
  p99?: number;
  error?: string;
}

interface Report {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  server: string;
  settings: { durationMs: number; rounds: number; warmupMs: number };
  subject: string;
  notes: Record<string, string>;
  workloads: Array<{
    name: string;
    description: string;
    results: Record<string, Cell>;
    /** subject ÷ peer, by peer name; null when either side failed. */
    ratios: Record<string, number | null>;
  }>;
}

const USAGE = `usage: npm run bench -- [--duration s] [--rounds n] [--warmup s] [--only w1,w2] [--clients c1,c2] [--server redis|valkey] [--in-process] [--json]
  workloads: ${WORKLOADS.map((w) => w.name).join(', ')}
  clients:   ${CLIENTS.map((c) => c.name).join(', ')}`;

function settingsFromArgs(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '0.3' },
      only: { type: 'string' },
      clients: { type: 'string' },
      server: { type: 'string', default: 'redis' },
      json: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const seconds = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number of seconds`);
    return n * 1000;
  };
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) fail('--rounds must be a positive integer');
  const pick = <T extends { name: string }>(all: T[], list: string | undefined, what: string): T[] => {
    if (list === undefined) return all;
    return list.split(',').map((name) => all.find((x) => x.name === name.trim()) ?? fail(`unknown ${what} '${name}'`));
  };
  const clients = pick(CLIENTS, values.clients, 'client');
  // Ratios need the subject: keep it in even when only peers were asked for.
  const subject = CLIENTS.find((c) => c.subject)!;
  if (!clients.includes(subject)) clients.unshift(subject);
  if (values.server !== 'redis' && values.server !== 'valkey') fail('--server must be redis or valkey');
  return {
    durationMs: seconds('duration', values.duration),
    rounds,
    warmupMs: seconds('warmup', values.warmup),
    workloads: pick(WORKLOADS, values.only, 'workload'),
    clients,
    json: values.json,
    server: values.server,
    inProcess: values['in-process'],
  };
}

/** The ratio to the fastest peer on each workload (peers: other libraries, not variants or the ceiling). */
const BEST_PEER = 'best peer';

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Checks a workload's replies, in this process or in the client's own. */
function check(workload: Workload, client: BenchClient): Promise<void> {
  return client.remote !== undefined ? client.remote.check(workload.name) : checkHere(workload, client);
}

function run(workload: Workload, client: BenchClient, ms: number): Promise<RunResult> {
  return client.remote !== undefined ? client.remote.run(workload.name, ms) : runHere(workload, client, ms);
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}

async function main(): Promise<void> {
  if (process.argv.includes('--cluster')) {
    // Cluster clients against a 3-primary cluster of their own (bench/cluster.ts).
    await (await import('./cluster.js')).main(process.argv.slice(2));
    return;
  }
  if (process.argv.includes('--cache')) {
    // The client-side cache has its workload and peers of its own.
    await (await import('./cache.js')).main(process.argv.slice(2));
    return;
  }
  const settings = settingsFromArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const roundMs = settings.durationMs / settings.rounds;

  const server = await startServer({ kind: settings.server });
  const target = { host: server.host, port: server.port };
  // Data is seeded through a plain ioredis connection that takes no part in the race.
  const seeder = new IORedis({ host: target.host, port: target.port });
  const connected: Array<{ spec: ClientSpec; client: BenchClient }> = [];
  try {
    const version = /(?:redis|valkey)_version:(\S+)/.exec(await seeder.info('server'))?.[1] ?? '?';
    const cpus = os.cpus();
    const report: Report = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      server: `${settings.server}-server ${version}`,
      settings: { durationMs: settings.durationMs, rounds: settings.rounds, warmupMs: settings.warmupMs },
      subject: CLIENTS.find((c) => c.subject)!.name,
      notes: {},
      workloads: [],
    };
    log(`${report.server} on ${target.host}:${target.port}; Node ${report.node}; ${report.cores} × ${report.cpu}`);
    log(`${settings.rounds} rounds × ${Math.round(roundMs)} ms per client per workload, after ${settings.warmupMs} ms of warm-up`);
    log(settings.inProcess ? 'Node clients share this process (--in-process)' : 'each client in a process of its own');

    // Clients in processes of their own start afresh for each workload, so what one workload leaves
    // behind (a heap grown by 1 MB strings, the collector's pacing) is not charged to the next.
    const unavailable = new Set<string>();
    const connectAll = async (): Promise<void> => {
      await Promise.allSettled(connected.splice(0).map(({ client }) => client.close()));
      const attempts = settings.clients.filter((spec) => !unavailable.has(spec.name));
      const outcomes = await Promise.allSettled(
        attempts.map((spec) => (spec.ownProcess || settings.inProcess ? spec.connect(target) : RemoteBench.node(spec.name, target))),
      );
      outcomes.forEach((outcome, i) => {
        const spec = attempts[i]!;
        if (outcome.status === 'fulfilled') {
          connected.push({ spec, client: outcome.value });
          return;
        }
        if (spec.subject) throw outcome.reason;
        // A peer that cannot start here (Bun's binary missing, say) is left out, and said so.
        log(`${spec.name}: not run (${errorText(outcome.reason)})`);
        report.notes[spec.name] = `not run: ${errorText(outcome.reason)}`;
        unavailable.add(spec.name);
      });
    };
    await connectAll();

    for (const workload of settings.workloads) {
      if (!settings.inProcess && workload !== settings.workloads[0]) await connectAll();
      await workload.seed({
        set: (k, v) => seeder.set(k, v),
        del: (k) => seeder.del(k),
        rpush: (k, ...vs) => seeder.rpush(k, ...vs),
      });
      const results: Record<string, Cell> = {};
      const live: typeof connected = [];
      const latencies = new Map<string, number[]>();
      for (const entry of connected) {
        try {
          // The raw row has no values to check: it only counts replies.
          if (entry.spec.role !== 'ceiling') await check(workload, entry.client);
          await run(workload, entry.client, settings.warmupMs);
          live.push(entry);
          results[entry.spec.name] = { rounds: [], median: 0 };
        } catch (e) {
          // A client that gets the data wrong is reported, not timed.
          results[entry.spec.name] = { rounds: [], median: 0, error: errorText(e) };
          process.exitCode = 1;
        }
        if (workload.name === 'pipe') report.notes[entry.spec.name] = entry.spec.pipelineNote;
        latencies.set(entry.spec.name, []);
      }
      for (let round = 0; round < settings.rounds; round++) {
        for (let i = 0; i < live.length; i++) {
          const { spec, client } = live[(i + round) % live.length]!;
          const cell = results[spec.name]!;
          if (cell.error !== undefined) continue;
          try {
            const { ops, ms, latencies: lat } = await run(workload, client, roundMs);
            cell.rounds.push((ops * 1000) / ms);
            if (lat !== undefined) {
              const all = latencies.get(spec.name)!;
              for (let k = 0; k < lat.length; k++) all.push(lat[k]!);
            }
          } catch (e) {
            cell.error = errorText(e);
            process.exitCode = 1;
          }
        }
      }
      for (const [name, cell] of Object.entries(results)) {
        cell.median = cell.error === undefined ? median(cell.rounds) : 0;
        const lat = latencies.get(name);
        if (workload.latency && cell.error === undefined && lat !== undefined && lat.length > 0) {
          lat.sort((a, b) => a - b);
          cell.p50 = percentile(lat, 0.5);
          cell.p99 = percentile(lat, 0.99);
        }
      }
      const subject = results[report.subject]!;
      const ratios: Record<string, number | null> = {};
      for (const { spec } of connected) {
        if (spec.subject) continue;
        const peer = results[spec.name]!;
        ratios[spec.name] = subject.error === undefined && peer.error === undefined ? subject.median / peer.median : null;
      }
      const peers = connected.filter(({ spec }) => !spec.subject && spec.role === undefined);
      const best = Math.max(...peers.map(({ spec }) => (results[spec.name]!.error === undefined ? results[spec.name]!.median : 0)));
      ratios[BEST_PEER] = subject.error === undefined && best > 0 ? subject.median / best : null;
      report.workloads.push({ name: workload.name, description: workload.description, results, ratios });
      log(`${workload.name.padEnd(7)} ${connected.map(({ spec }) => `${spec.name} ${formatCell(results[spec.name]!)}`).join('   ')}`);
    }

    if (settings.json) console.log(JSON.stringify(report, null, 2));
    else console.log(renderTable(report, connected.map((c) => c.spec)));
  } finally {
    await Promise.allSettled(connected.map(({ client }) => client.close()));
    seeder.disconnect();
    await server.stop();
  }
}

// ---- output ------------------------------------------------------------------------------------------

function formatOps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

function formatCell(cell: Cell): string {
  return cell.error !== undefined ? 'FAILED' : formatOps(cell.median);
}

/** A Markdown table: readable in a terminal and pasted as is into the README. */
function renderTable(report: Report, specs: ClientSpec[]): string {
  const peers = specs.filter((s) => !s.subject && s.role === undefined);
  const ceiling = specs.find((s) => s.role === 'ceiling');
  const ratio = (r: number | null | undefined): string => (r === null || r === undefined ? '—' : `${r.toFixed(2)}×`);
  const header = [
    'workload',
    ...specs.map((s) => s.name),
    `÷ ${BEST_PEER}`,
    ...peers.map((s) => `÷ ${s.name}`),
    ...(ceiling !== undefined ? [`% of ${ceiling.name}`] : []),
  ];
  const rows = report.workloads.map((w) => [
    w.name,
    ...specs.map((s) => formatCell(w.results[s.name]!)),
    ratio(w.ratios[BEST_PEER]),
    ...peers.map((s) => ratio(w.ratios[s.name])),
    ...(ceiling !== undefined ? [w.ratios[ceiling.name] ? `${Math.round(w.ratios[ceiling.name]! * 100)}%` : '—'] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;

  const out = [
    `ops/s, median of ${report.settings.rounds} rounds; ratios are ${report.subject} ÷ the column; ` +
      `${report.server}, TCP 127.0.0.1; Node ${report.node}; ` +
      `${report.cores} cores (${report.cpu}); ${report.date}`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    '',
    ...report.workloads.map((w) => `- ${w.name}: ${w.description}`),
  ];
  const timed = report.workloads.filter((w) => Object.values(w.results).some((c) => c.p50 !== undefined));
  if (timed.length > 0) {
    const us = (ms: number | undefined): string => (ms === undefined ? '—' : `${Math.round(ms * 1000)}`);
    const lheader = ['latency, µs (p50 / p99)', ...specs.map((s) => s.name)];
    const lrows = timed.map((w) => [w.name, ...specs.map((s) => (w.results[s.name]?.p50 === undefined ? '—' : `${us(w.results[s.name]!.p50)} / ${us(w.results[s.name]!.p99)}`))]);
    const lw = lheader.map((h, i) => Math.max(h.length, ...lrows.map((r) => r[i]!.length)));
    const lline = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(lw[i]!) : c.padStart(lw[i]!))).join(' | ')} |`;
    out.push('', lline(lheader), `|${lw.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lrows.map(lline));
  }
  if (Object.keys(report.notes).length > 0) {
    out.push('', 'pipe used:', ...Object.entries(report.notes).map(([name, note]) => `- ${name}: ${note}`));
  }
  const failures = report.workloads.flatMap((w) =>
    Object.entries(w.results)
      .filter(([, c]) => c.error !== undefined)
      .map(([name, c]) => `- ${w.name} / ${name}: ${c.error}`),
  );
  if (failures.length > 0) out.push('', 'FAILED (no number reported):', ...failures);
  return out.join('\n');
}

await main();
