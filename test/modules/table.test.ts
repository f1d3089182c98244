/**
 * The module commands in the command table, checked against Redis 8 with the modules loaded: every
 * command COMMAND lists for JSON, search, timeseries, bf and vector sets has a method (or a stated
 * reason not to), the flags agree, and our key positions agree with COMMAND GETKEYS on samples.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient, commandKeys, type RedisArg } from '../../src/index.js';
import { COMMANDS, EXCLUDED, IMPLEMENTED } from '../../src/commands/registry.js';
import { Flag } from '../../src/commands/command.js';
import { useServer } from '../servers/index.js';

/** One sample call of each module command with keys (and a few without), as the methods build them. */
const samples: RedisArg[][] = [
  ['JSON.SET', 'j', '$', '1'],
  ['JSON.GET', 'j', '$'],
  ['JSON.MSET', 'a', '$', '1', 'b', '$', '2'],
  ['JSON.MERGE', 'j', '$', '{}'],
  ['JSON.DEL', 'j'],
  ['JSON.FORGET', 'j', '$'],
  ['JSON.TYPE', 'j'],
  ['JSON.NUMINCRBY', 'j', '$', 1],
  ['JSON.NUMMULTBY', 'j', '$', 1],
  ['JSON.NUMPOWBY', 'j', '$', 1],
  ['JSON.STRAPPEND', 'j', '$', '"x"'],
  ['JSON.STRLEN', 'j'],
  ['JSON.ARRAPPEND', 'j', '$', '1'],
  ['JSON.ARRINDEX', 'j', '$', '1'],
  ['JSON.ARRINSERT', 'j', '$', 0, '1'],
  ['JSON.ARRLEN', 'j'],
  ['JSON.ARRPOP', 'j'],
  ['JSON.ARRTRIM', 'j', '$', 0, 1],
  ['JSON.OBJKEYS', 'j'],
  ['JSON.OBJLEN', 'j'],
  ['JSON.TOGGLE', 'j', '$'],
  ['JSON.CLEAR', 'j'],
  ['JSON.RESP', 'j'],
  ['JSON.DEBUG', 'MEMORY', 'j'],
  ['TS.CREATE', 't'],
  ['TS.ALTER', 't', 'RETENTION', 0],
  ['TS.ADD', 't', '*', 1],
  ['TS.MADD', 'a', 1, 1, 'b', 1, 1],
  ['TS.INCRBY', 't', 1],
  ['TS.DECRBY', 't', 1],
  ['TS.DEL', 't', 0, 1],
  ['TS.GET', 't'],
  ['TS.RANGE', 't', '-', '+'],
  ['TS.REVRANGE', 't', '-', '+'],
  ['TS.INFO', 't'],
  ['TS.MGET', 'FILTER', 'a=b'],
  ['TS.MRANGE', '-', '+', 'FILTER', 'a=b'],
  ['TS.QUERYINDEX', 'a=b'],
  ['BF.RESERVE', 'b', 0.01, 100],
  ['BF.ADD', 'b', 'x'],
  ['BF.MADD', 'b', 'x'],
  ['BF.INSERT', 'b', 'ITEMS', 'x'],
  ['BF.EXISTS', 'b', 'x'],
  ['BF.MEXISTS', 'b', 'x'],
  ['BF.CARD', 'b'],
  ['BF.INFO', 'b'],
  ['BF.SCANDUMP', 'b', 0],
  ['CF.RESERVE', 'c', 100],
  ['CF.ADD', 'c', 'x'],
  ['CF.ADDNX', 'c', 'x'],
  ['CF.INSERT', 'c', 'ITEMS', 'x'],
  ['CF.INSERTNX', 'c', 'ITEMS', 'x'],
  ['CF.EXISTS', 'c', 'x'],
  ['CF.MEXISTS', 'c', 'x'],
  ['CF.COUNT', 'c', 'x'],
  ['CF.DEL', 'c', 'x'],
  ['CF.COMPACT', 'c'],
  ['CF.INFO', 'c'],
  ['CMS.INITBYDIM', 'm', 10, 5],
  ['CMS.INITBYPROB', 'm', 0.1, 0.1],
  ['CMS.INCRBY', 'm', 'x', 1],
  ['CMS.QUERY', 'm', 'x'],
  ['CMS.INFO', 'm'],
  ['TOPK.RESERVE', 'k', 3],
  ['TOPK.ADD', 'k', 'x'],
  ['TOPK.INCRBY', 'k', 'x', 1],
  ['TOPK.QUERY', 'k', 'x'],
  ['TOPK.COUNT', 'k', 'x'],
  ['TOPK.LIST', 'k'],
  ['TOPK.INFO', 'k'],
  ['TDIGEST.CREATE', 'd'],
  ['TDIGEST.ADD', 'd', 1],
  ['TDIGEST.RESET', 'd'],
  ['TDIGEST.MIN', 'd'],
  ['TDIGEST.MAX', 'd'],
  ['TDIGEST.QUANTILE', 'd', 0.5],
  ['TDIGEST.CDF', 'd', 1],
  ['TDIGEST.RANK', 'd', 1],
  ['TDIGEST.REVRANK', 'd', 1],
  ['TDIGEST.BYRANK', 'd', 1],
  ['TDIGEST.BYREVRANK', 'd', 1],
  ['TDIGEST.TRIMMED_MEAN', 'd', 0.1, 0.9],
  ['TDIGEST.INFO', 'd'],
  ['VADD', 'v', 'VALUES', 1, 1, 'e'],
  ['VSIM', 'v', 'ELE', 'e'],
  ['VREM', 'v', 'e'],
  ['VCARD', 'v'],
  ['VDIM', 'v'],
  ['VEMB', 'v', 'e'],
  ['VINFO', 'v'],
  ['VLINKS', 'v', 'e'],
  ['VGETATTR', 'v', 'e'],
  ['VSETATTR', 'v', 'e', '{}'],
  ['VISMEMBER', 'v', 'e'],
  ['VRANDMEMBER', 'v'],
  ['FT.SUGADD', 's', 'x', 1],
  ['FT.SUGGET', 's', 'x'],
  ['FT.SUGDEL', 's', 'x'],
  ['FT.SUGLEN', 's'],
  ['FT.SEARCH', 'idx', '*'],
  ['FT.CREATE', 'idx', 'SCHEMA', 'a', 'TEXT'],
];

/**
 * Commands whose source keys the server's key spec leaves out (it names the first key only). All of
 * their keys are keys to a cluster (a merge across slots is CROSSSLOT), so the table names them all;
 * the server's list must be where ours starts.
 */
const SERVER_NAMES_FIRST_KEY_ONLY: RedisArg[][] = [
  ['JSON.MGET', 'a', 'b', '$'],
  ['CMS.MERGE', 'd', 2, 'a', 'b'],
  ['TDIGEST.MERGE', 'd', 2, 'a', 'b'],
  ['TS.CREATERULE', 'a', 'b', 'AGGREGATION', 'avg', 10],
  ['TS.DELETERULE', 'a', 'b'],
];

const MODULE_PREFIX = /^(json|ft|_ft|ts|bf|cf|cms|topk|tdigest|search|timeseries)\.|^v[a-z]+$/;

interface ServerCommand {
  id: string;
  flags: string[];
}

async function moduleCommands(port: number): Promise<ServerCommand[]> {
  await using c = await createClient({ port }).connect();
  const reply = (await c.call('COMMAND')) as unknown[][];
  return reply
    .map((e) => ({ id: String(e[0]).toLowerCase(), flags: (e[2] as unknown[]).map(String) }))
    .filter((x) => MODULE_PREFIX.test(x.id) && x.flags.includes('module'));
}

async function getKeys(port: number, argv: RedisArg[]): Promise<string[]> {
  await using c = await createClient({ port }).connect();
  try {
    return ((await c.call('COMMAND', 'GETKEYS', ...argv)) as unknown[]).map(String);
  } catch (e) {
    if (/no key arguments/i.test((e as Error).message)) return [];
    throw e;
  }
}

describe('module command table against redis8', () => {
  const server = useServer({ kind: 'redis8' });

  it('has a method for every module command the server lists, or a reason for leaving it out', async () => {
    const cmds = await moduleCommands(server().port);
    assert.ok(cmds.length > 140, `only ${cmds.length} module commands listed`);
    const missing = cmds.filter((x) => !IMPLEMENTED.has(x.id) && !EXCLUDED.has(x.id)).map((x) => x.id);
    const excluded = cmds.filter((x) => EXCLUDED.has(x.id)).length;
    console.log(`# module coverage: ${cmds.length - missing.length}/${cmds.length} (${cmds.length - missing.length - excluded} with methods, ${excluded} excluded with reasons)`);
    assert.deepEqual(missing.sort(), []);
  });

  it('marks module commands readonly and write as the server does', async () => {
    const wrong: string[] = [];
    for (const sc of await moduleCommands(server().port)) {
      const info = COMMANDS.get(sc.id);
      if (info === undefined || !IMPLEMENTED.has(sc.id)) continue;
      for (const [flag, bit] of [['readonly', Flag.READONLY], ['write', Flag.WRITE]] as const) {
        if (sc.flags.includes(flag) !== ((info.flags & bit) !== 0)) wrong.push(`${sc.id}: server ${sc.flags.includes(flag) ? 'has' : 'lacks'} ${flag}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('finds the same keys as COMMAND GETKEYS for every sample call', async () => {
    const wrong: string[] = [];
    for (const argv of samples) {
      const theirs = await getKeys(server().port, argv);
      const ours = commandKeys(argv).map(String);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) wrong.push(`${argv.map(String).join(' ')}: ours ${JSON.stringify(ours)}, server ${JSON.stringify(theirs)}`);
    }
    for (const argv of SERVER_NAMES_FIRST_KEY_ONLY) {
      const theirs = await getKeys(server().port, argv);
      const ours = commandKeys(argv).map(String);
      if (theirs.length !== 1 || ours[0] !== theirs[0] || ours.length < 2) wrong.push(`${argv.map(String).join(' ')}: ours ${JSON.stringify(ours)}, server ${JSON.stringify(theirs)}`);
    }
    console.log(`# module keys: ${samples.length + SERVER_NAMES_FIRST_KEY_ONLY.length} sample calls checked against COMMAND GETKEYS`);
    assert.deepEqual(wrong, []);
  });
});
