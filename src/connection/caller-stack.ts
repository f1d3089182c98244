/**
 * The `captureStack` option: an error reply is made by the parser, deep in the socket's read loop, so
 * its stack says nothing of the code that sent the command. With the option on, the stack at the
 * call is kept and joined to the error's own when the command fails.
 */

/** Captures the caller's stack now (only the frames, later, are used). */
export function captureCaller(): Error {
  return new Error('issued at');
}

/** Adds the frames of `origin` under the error's own. Idempotent per error. */
function addCallerStack(e: unknown, origin: Error): void {
  if (!(e instanceof Error) || origin.stack === undefined || CALLER in e) return;
  const frames = origin.stack.slice(origin.stack.indexOf('\n') + 1);
  Object.defineProperty(e, CALLER, { value: true });
  e.stack = `${e.stack ?? `${e.name}: ${e.message}`}\n    --- the command was issued ---\n${frames}`;
}

export function withCallerStack<T>(p: Promise<T>, origin: Error): Promise<T> {
  return p.catch((e: unknown) => {
    addCallerStack(e, origin);
    throw e;
  });
}

const CALLER = Symbol('callerStack');
