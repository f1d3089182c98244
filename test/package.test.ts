import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runNode as run } from './run-node.js';
import { useServer } from './servers/index.js';

// The published entry points, as users load them: by package name, from the built dist/ (npm test
// builds first). Each runs in a node of its own, as a user's program would.


const program = (load: string, port: number): string => `${load}
const c = createClient({ port: ${port} });
c.set('package:k', 'v').then(() => c.get('package:k')).then(async (v) => {
  const e = await c.call('NOSUCHCOMMAND').catch((err) => err);
  console.log(v, e instanceof RedisError, e.constructor.name);
  await c.close();
});`;

describe('the package as users load it', () => {
  const server = useServer({});

  it("require('redwire') works from CommonJS", async () => {
    const out = await run(['-e', program("const { createClient, RedisError } = require('redwire');", server().port)]);
    assert.equal(out, 'v true UnknownCommandError');
  });

  it("import from 'redwire' works from ES modules", async () => {
    const out = await run(['--input-type=module', '-e', program("import { createClient, RedisError } from 'redwire';", server().port)]);
    assert.equal(out, 'v true UnknownCommandError');
  });

  it('the published types leave out the internals', () => {
    for (const file of ['dist/client/client.d.ts', 'dist/cjs/client/client.d.ts']) {
      const dts = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      assert.match(dts, /class RedisClient/);
      assert.doesNotMatch(dts, /sendCommand|invalidArguments|adopt\(/, file);
    }
  });
});
