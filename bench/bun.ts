// Bun's RedisClient as a peer: a child process under Bun (its binary comes with the `bun` npm
// package) runs bench/bun-child.ts, which drives the same workloads (see bench/remote.ts).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from './adapters.js';
import { RemoteBench } from './remote.js';

/**
 * The bun binary of the `bun` devDependency. Its npm package ships a placeholder that its install
 * script replaces by the real binary (taken from the platform package npm installed beside it); an
 * install that ran without scripts leaves the placeholder. Then the binary is taken from the
 * platform package directly, or, failing that, the package's own install script is run once here.
 */
function bunBinary(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('bun/package.json'));
  const shipped = (): string | null => {
    for (const candidate of [join(dir, 'bin', 'bun.exe'), join(dir, 'bin', 'bun')]) if (runs(candidate)) return candidate;
    return null;
  };
  const found = shipped() ?? platformBinary(require);
  if (found !== null) return found;
  process.stderr.write('bench: the bun package has no binary yet (installed without scripts): running its install script\n');
  execFileSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const installed = shipped();
  if (installed === null) throw new Error('the bun package has no working binary, even after its install script ran');
  return installed;
}

/** The binary in the platform package (`@oven/bun-linux-x64`…) npm installed as an optional dependency. */
function platformBinary(require: NodeJS.Require): string | null {
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
  for (const suffix of ['', '-baseline', '-musl', '-musl-baseline']) {
    try {
      const dir = dirname(require.resolve(`@oven/bun-${process.platform}-${arch}${suffix}/package.json`));
      const bin = join(dir, 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun');
      if (runs(bin)) return bin;
    } catch {
      // Not installed for this platform variant.
    }
  }
  return null;
}

function runs(bin: string): boolean {
  if (!existsSync(bin)) return false;
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Bun's RedisClient in a child process under Bun. */
export function connectBun(target: Target): Promise<RemoteBench> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bun-child.ts');
  return RemoteBench.start('bun', bunBinary(), [script, target.host, String(target.port)]);
}
