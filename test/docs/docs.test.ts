/**
 * The API reference is made from the TSDoc comments (TypeDoc, `npm run docs`), so every symbol a
 * user can import needs one: this fails on any exported symbol of a public entry without a doc
 * comment, naming it and its file. It reads the sources with the TypeScript compiler, in seconds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/otel/index.ts'];
// The symbols that were exported without a comment when this check came in, to be documented and
// struck off: a new symbol must come with its comment, and a documented one must leave the list.
const BACKLOG = new Set(
  readFileSync(new URL('undocumented.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== ''),
);

/** `name (file)` of each exported symbol of `entry` whose declaration has no doc comment. */
function undocumented(program: ts.Program, entry: string): string[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(`${root}${entry}`);
  assert.ok(file !== undefined, entry);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  assert.ok(moduleSymbol !== undefined, entry);
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.getDeclarations() ?? [];
    const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).some((doc) => ts.isJSDoc(doc) && doc.comment !== undefined));
    if (!documented) {
      const where = declarations[0]?.getSourceFile().fileName.slice(root.length) ?? '?';
      missing.push(`${exported.getName()} (${where})`);
    }
  }
  return missing;
}

describe('the API reference', () => {
  it('every exported symbol of a public entry has a doc comment', () => {
    const program = ts.createProgram(
      ENTRIES.map((e) => `${root}${e}`),
      { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
    );
    const missing = ENTRIES.flatMap((e) => undocumented(program, e));
    const fresh = missing.filter((m) => !BACKLOG.has(m));
    assert.deepEqual(fresh, [], `exported without a doc comment:\n${fresh.join('\n')}`);
    const done = [...BACKLOG].filter((m) => !missing.includes(m));
    assert.deepEqual(done, [], `documented now: strike these off test/docs/undocumented.txt:\n${done.join('\n')}`);
  });
});
