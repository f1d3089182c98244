/**
 * The API reference is made from the TSDoc comments (TypeDoc, `npm run docs`), so every symbol a
 * user can import needs one: this fails on any exported symbol of a public entry without a doc
 * comment, naming it and its file. It reads the sources with the TypeScript compiler, in seconds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/otel/index.ts'];
const COMPILER: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

/** `name (file)` of each exported symbol of the entry at `path` whose declaration has no doc comment. */
function undocumented(program: ts.Program, path: string, base: string): string[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(path);
  assert.ok(file !== undefined, path);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  assert.ok(moduleSymbol !== undefined, path);
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    // A re-export (`export { X } from`) is documented where X is declared, not at the re-export.
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.getDeclarations() ?? [];
    const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).some((doc) => ts.isJSDoc(doc) && doc.comment !== undefined));
    if (!documented) {
      const where = declarations[0]?.getSourceFile().fileName.slice(base.length) ?? '?';
      missing.push(`${exported.getName()} (${where})`);
    }
  }
  return missing;
}

describe('the API reference', () => {
  it('every exported symbol of a public entry has a doc comment', () => {
    const program = ts.createProgram(
      ENTRIES.map((e) => `${root}${e}`),
      COMPILER,
    );
    const missing = ENTRIES.flatMap((e) => undocumented(program, `${root}${e}`, root));
    assert.deepEqual(missing, [], `exported without a doc comment:\n${missing.join('\n')}`);
  });

  it('the check names an undocumented export, directly or re-exported, and passes a documented one', () => {
    // A small package of its own, so that the check is seen to fail without touching src/.
    const dir = mkdtempSync(join(tmpdir(), 'redwire-docs-'));
    try {
      writeFileSync(
        join(dir, 'lib.ts'),
        [
          '/** Documented: says what it is for. */',
          'export interface Documented { a: number }',
          'export interface Bare { b: number }',
          '// A line comment is not a doc comment.',
          'export const lineCommented = 1;',
          '/** */',
          'export function emptyDoc(): void {}',
          '',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'entry.ts'), "export { Documented, Bare, lineCommented, emptyDoc } from './lib.js';\n/** Here. */\nexport const own = 2;\nexport class Naked {}\n");
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      const entry = join(dir, 'entry.ts');
      const program = ts.createProgram([entry], COMPILER);
      assert.deepEqual(undocumented(program, entry, `${dir}/`).sort(), ['Bare (lib.ts)', 'Naked (entry.ts)', 'emptyDoc (lib.ts)', 'lineCommented (lib.ts)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
