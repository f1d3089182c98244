// A redis-server (or valkey-server) of the demo's own, for machines where nothing is listening yet.
// It listens only on a Unix socket in a fresh temp dir, keeps nothing on disk, and is gone when the
// demo ends, however it ends.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayServer {
  /** 'redis-server' or 'valkey-server'. */
  binary: string;
  /** unix:///…/server.sock */
  url: string;
  stop(): Promise<void>;
}

/** The first server binary on PATH, or null. */
export function findServerBinary(): string | null {
  for (const name of ['redis-server', 'valkey-server']) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (dir === '') continue;
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return path.join(dir, name);
      } catch {
        // not in this directory
      }
    }
  }
  return null;
}

export async function startThrowawayServer(binary: string): Promise<ThrowawayServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redwire-demo-'));
  const socket = path.join(dir, 'server.sock');
  const logFile = path.join(dir, 'server.log');
  // DEBUG SLEEP lets the demo show a timeout; from 7.0 on the command is off unless enabled.
  const major = Number(/v=(\d+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  const debug = major >= 7 ? ['--enable-debug-command', 'local'] : [];
  // Port 0 turns TCP off: the demo must never collide with, or be reachable like, a real server.
  const child: ChildProcess = spawn(
    binary,
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--logfile', logFile,
      '--save', '', '--appendonly', 'no', ...debug],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let gone = false;
  void exited.then(() => (gone = true));
  // A demo that crashes must not leave a server running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const cleanup = (): void => {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (!gone) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  // The socket file appears once the server accepts connections.
  const deadline = Date.now() + 10_000;
  while (!existsSync(socket)) {
    if (gone || Date.now() > deadline) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      await stop();
      throw new Error(`${path.basename(binary)} did not start${log ? `:\n${log}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { binary: path.basename(binary), url: `unix://${socket}`, stop };
}
