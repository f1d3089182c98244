/**
 * The command table checked against the servers themselves: every command they list has a method
 * (or a stated reason not to), our key positions equal COMMAND GETKEYS, our flags equal theirs.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { createClient, commandKeys, type RedisArg } from '../../src/index.js';
import { COMMANDS, EXCLUDED, IMPLEMENTED } from '../../src/commands/registry.js';
import { Flag } from '../../src/commands/command.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

interface ServerCommand {
  id: string;
  flags: string[];
}

/** COMMAND's reply flattened to one entry per command or subcommand ('client|list'). */
function flattenCommandReply(reply: unknown[]): ServerCommand[] {
  const out: ServerCommand[] = [];
  for (const entry of reply as unknown[][]) {
    const name = String(entry[0]).toLowerCase();
    const subs = (entry[9] ?? []) as unknown[][];
    if (subs.length > 0) {
      for (const sub of subs) out.push({ id: String(sub[0]).toLowerCase(), flags: (sub[2] as string[]).map(String) });
    } else {
      out.push({ id: name, flags: (entry[2] as string[]).map(String) });
    }
  }
  return out;
}

/** Flags that newer servers set and older ones lack: we follow the newer server. */
const FLAGGED_LATER = new Set([
  'wait blocking', // Redis 7.4+ and Valkey 8 flag WAIT blocking (redis/redis#12977); Redis 7.0 did not
]);

async function loadSamples(): Promise<RedisArg[][]> {
  const dir = new URL('./samples/', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
  const all: RedisArg[][] = [];
  for (const f of files) {
    const mod = (await import(new URL(f, dir).href)) as { samples: RedisArg[][] };
    all.push(...mod.samples);
  }
  return all;
}

// Redis 8 with the modules too: its core commands and the modules' (their own checks: test/modules/table.test.ts).
for (const kind of [...SERVER_KINDS, 'redis8' as const]) {
  describe(`command table against ${kind}`, () => {
    const server = useServer({ kind });

    it('has a method for every command the server lists, or a reason for leaving it out', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const cmds = flattenCommandReply((await c.call('COMMAND')) as unknown[]);
      const missing = cmds.filter((x) => !IMPLEMENTED.has(x.id) && !EXCLUDED.has(x.id)).map((x) => x.id);
      const covered = cmds.length - missing.length;
      const excluded = cmds.filter((x) => EXCLUDED.has(x.id)).length;
      console.log(
        `# coverage ${kind}: ${covered}/${cmds.length} commands (${covered - excluded} with methods, ${excluded} excluded with reasons)` +
          (missing.length > 0 ? `; missing: ${missing.sort().join(' ')}` : ''),
      );
      assert.deepEqual(missing.sort(), [], `${missing.length} commands of ${kind} have no method`);
    });

    it('marks commands readonly, write and blocking as the server does', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const cmds = flattenCommandReply((await c.call('COMMAND')) as unknown[]);
      const wrong: string[] = [];
      for (const sc of cmds) {
        const info = COMMANDS.get(sc.id);
        if (info === undefined || !IMPLEMENTED.has(sc.id)) continue;
        const checks: Array<[string, boolean, boolean]> = [
          ['readonly', sc.flags.includes('readonly'), (info.flags & Flag.READONLY) !== 0],
          ['write', sc.flags.includes('write'), (info.flags & Flag.WRITE) !== 0],
          ['blocking', sc.flags.includes('blocking'), (info.flags & Flag.BLOCKING) !== 0],
        ];
        for (const [flag, theirs, ours] of checks) {
          if (theirs !== ours && !(ours && FLAGGED_LATER.has(`${sc.id} ${flag}`))) {
            wrong.push(`${sc.id}: server ${theirs ? 'has' : 'lacks'} ${flag}`);
          }
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('finds the same keys as COMMAND GETKEYS for every sample call', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const known = new Set(flattenCommandReply((await c.call('COMMAND')) as unknown[]).map((x) => x.id));
      const samples = await loadSamples();
      assert.ok(samples.length > 0, 'no samples');
      const wrong: string[] = [];
      let checked = 0;
      for (const argv of samples) {
        const name = String(argv[0]).toLowerCase();
        const id = known.has(name) ? name : `${name}|${String(argv[1]).toLowerCase()}`;
        if (!known.has(id) && !known.has(name)) continue; // newer than this server
        let theirs: string[];
        try {
          theirs = ((await c.call('COMMAND', 'GETKEYS', ...argv)) as unknown[]).map(String);
        } catch (e) {
          // Commands without key arguments make GETKEYS fail; then we must find none.
          if (!/no key arguments|Invalid arguments|Invalid command specified|wrong number of arguments/i.test((e as Error).message)) throw e;
          theirs = [];
        }
        const ours = commandKeys(argv).map(String);
        checked++;
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          wrong.push(`${argv.map(String).join(' ')}: ours ${JSON.stringify(ours)}, server ${JSON.stringify(theirs)}`);
        }
      }
      console.log(`# keys ${kind}: ${checked} sample calls checked against COMMAND GETKEYS`);
      assert.deepEqual(wrong, []);
    });
  });
}
