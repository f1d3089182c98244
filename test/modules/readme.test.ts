/**
 * The README's Modules section runs as written against Redis 8 with the modules. Each ```ts block is a
 * module of its own, with `client` connected; a statement ending in `// value` (or followed by lines
 * `// value`) must give that value, so the section cannot drift from what the library does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient, type RedisClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function section(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Modules\n');
  assert.ok(start !== -1, 'README has no Modules section');
  const end = readme.indexOf('\n## ', start + 5);
  return readme.slice(start, end === -1 ? undefined : end);
}

function blocks(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * Turns `await x; // v` into a check that x deep-equals v. A value may also sit on the comment lines
 * right after the statement. Comments that do not parse as a value are prose and stay comments.
 */
function instrument(block: string): string {
  const lines = block.split('\n');
  const out: string[] = [];
  let checks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^(\s*)(await [^;]*|const .*?=\s*await [^;]*);\s*(?:\/\/\s*(.*))?$/.exec(line);
    if (m === null) {
      out.push(line);
      continue;
    }
    let comment = m[3];
    let j = i + 1;
    if (comment === undefined) {
      const more: string[] = [];
      while (j < lines.length && /^\s*\/\/ /.test(lines[j]!)) more.push(lines[j++]!.replace(/^\s*\/\/ /, ''));
      if (more.length > 0) comment = more.join(' ');
    }
    const value = comment === undefined ? undefined : valueOf(comment);
    if (value === undefined || m[2]!.startsWith('const ')) {
      out.push(line);
      continue;
    }
    out.push(`${m[1]}__check(${m[2]}, ${value}, ${JSON.stringify(line.trim())});`);
    checks++;
    i = j - 1;
  }
  assert.ok(checks > 0 || !block.includes('await'), `a README block checks nothing:\n${block}`);
  return out.join('\n');
}

/** The leading value of a comment (`['Ada']`; `false: the path exists` gives `false`), or undefined for prose. */
function valueOf(comment: string): string | undefined {
  for (let end = comment.length; end > 0; end--) {
    const candidate = comment.slice(0, end).trim();
    const rest = comment.slice(end);
    if (candidate === '' || (rest !== '' && !/^\s*:/.test(rest))) continue;
    if (/^[A-Za-z_$][\w$]*$/.test(candidate) && !['true', 'false', 'null'].includes(candidate)) return undefined;
    try {
      new Function(`return (${candidate});`);
      return candidate;
    } catch {
      // not a value: try a shorter prefix
    }
  }
  return undefined;
}

describe('README Modules section', () => {
  const server = useServer({ kind: 'redis8' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redwire-readme-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every example and gets the values it shows, under RESP2 and RESP3', async () => {
    const list = blocks(section());
    assert.ok(list.length >= 5, `only ${list.length} examples`);
    const index = pathToFileURL(path.join(root, 'src/index.ts')).href;
    for (const protocol of [2, 3] as const) {
      const client: RedisClient = await createClient({ port: server().port, protocol }).connect();
      await client.flushall();
      const g = globalThis as { __readme?: unknown };
      g.__readme = {
        client,
        check: (actual: unknown, expected: unknown, line: string) => assert.deepEqual(actual, expected, `RESP${protocol}: ${line}`),
      };
      try {
        for (const [n, block] of list.entries()) {
          const body = instrument(block).replace(/from 'redwire'/g, `from ${JSON.stringify(index)}`);
          const file = path.join(dir, `block-${protocol}-${n}.mts`);
          writeFileSync(
            file,
            `const { client, check: __check } = (globalThis as any).__readme;\n${body}\nexport {};\n`,
          );
          await import(pathToFileURL(file).href);
        }
      } finally {
        delete g.__readme;
        client.disconnect();
      }
    }
  });
});
