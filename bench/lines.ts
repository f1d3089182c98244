// The bench's parent and its client processes talk in JSON, one value per line.

import type { Readable } from 'node:stream';

/** Calls `onValue` with each JSON line of `stream` as it arrives. */
export function readJsonLines(stream: Readable, onValue: (value: unknown) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') onValue(JSON.parse(line));
    }
  });
}
