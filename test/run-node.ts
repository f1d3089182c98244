import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: where a program that loads the package by name resolves it, as a user's would. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `node args…` in the repository root; resolves its trimmed stdout, rejects with its stderr. */
export function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}
