// The child side of a client that runs in a process of its own: requests come as JSON lines on
// stdin, answers go back as JSON lines on stdout. Every client of `npm run bench` runs this way, so
// none shares a heap, a garbage collector or malloc's settings with another: what one library's
// garbage or process tuning costs (or saves) is charged to that library alone, as in an application
// that uses only it. Used under Node (bench/node-child.ts) and under Bun (bench/bun-child.ts).

import type { BenchClient } from './adapters.js';
import { readJsonLines } from './lines.js';
import { checkHere, runHere, WORKLOADS } from './workloads.js';

export interface Request {
  id: number;
  op: 'check' | 'run' | 'close';
  workload?: string;
  ms?: number;
}

/** Serves the parent's requests with `client` until told to close (or until the parent is gone). */
export function serve(client: BenchClient): void {
  const answer = (id: number, body: Record<string, unknown>): void => {
    process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);
  };
  const handle = async (req: Request): Promise<void> => {
    try {
      if (req.op === 'close') {
        await client.close();
        answer(req.id, { ok: true });
        process.exit(0);
      }
      const workload = WORKLOADS.find((w) => w.name === req.workload);
      if (workload === undefined) throw new Error(`unknown workload ${req.workload}`);
      if (req.op === 'check') {
        await checkHere(workload, client);
        answer(req.id, { ok: true });
      } else {
        answer(req.id, { ok: true, result: await runHere(workload, client, req.ms!) });
      }
    } catch (e) {
      answer(req.id, { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  };

  // One request at a time: the parent waits for each answer before it sends the next.
  readJsonLines(process.stdin, (req) => void handle(req as Request));
  // The parent gone (killed mid-run) closes stdin: nothing is left to answer to.
  process.stdin.on('end', () => process.exit(0));
  answer(0, { ok: true, ready: true });
}
