/**
 * The cluster's request and response policies (src/commands/policies.ts) against the tips each server
 * publishes in COMMAND: every policy a server states is ours too, unless a departure is recorded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/index.js';
import { POLICIES, POLICY_DEPARTURES } from '../../src/commands/policies.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** id -> 'request/response' as the server's tips say, for every command with a policy tip. */
function tipsOf(reply: unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (e: unknown[], id: string): void => {
    const tips = ((e[7] ?? []) as unknown[]).map(String);
    const req = tips.find((t) => t.startsWith('request_policy:'));
    const res = tips.find((t) => t.startsWith('response_policy:'));
    if (req !== undefined || res !== undefined) out.set(id, `${camel(req?.split(':')[1] ?? '')}/${camel(res?.split(':')[1] ?? '')}`);
    for (const sub of (e[9] ?? []) as unknown[][]) walk(sub, String(sub[0]).toLowerCase());
  };
  for (const e of reply as unknown[][]) walk(e, String(e[0]).toLowerCase());
  return out;
}

for (const kind of SERVER_KINDS) {
  describe(`command policies against ${kind}`, () => {
    const server = useServer({ kind });

    it('has every request and response policy the server states', async () => {
      await using c = await createClient({ port: server().port, protocol: 2 }).connect();
      const theirs = tipsOf((await c.call('COMMAND')) as unknown[]);
      assert.ok(theirs.size > 20, `the server states ${theirs.size} policies`);
      const wrong: string[] = [];
      for (const [id, tip] of theirs) {
        if (POLICY_DEPARTURES.has(id)) continue;
        const ours = POLICIES.get(id);
        const mine = ours === undefined ? '(none)' : `${ours.request}/${ours.response ?? ''}`;
        if (mine !== tip) wrong.push(`${id}: server ${tip}, ours ${mine}`);
      }
      assert.deepEqual(wrong, []);
    });
  });
}
