/**
 * Options hold passwords and TLS keys; `console.log(client)` or an error reporter's `util.inspect`
 * must never print them. Objects that hold options show them through `redacted()`.
 */
import { inspect, type InspectOptionsStylized } from 'node:util';

const SECRET_KEYS = new Set(['password', 'passphrase', 'key', 'pfx', 'credentials']);

/** A copy of `options` for display: secrets replaced, nested TLS options too. */
export function redacted(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (SECRET_KEYS.has(k)) out[k] = '[redacted]';
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && Object.getPrototypeOf(v) === Object.prototype) out[k] = redacted(v);
    else out[k] = v;
  }
  return out;
}

/**
 * Makes `util.inspect` (and so console.log) show `options` redacted. Non-enumerable, so copies made
 * by spreading do not carry it along with a stale view.
 */
export function redactWhenInspected(options: object): void {
  Object.defineProperty(options, inspect.custom, {
    configurable: true,
    value: (depth: number, opts: InspectOptionsStylized) => inspect(redacted(options), { ...opts, depth }),
  });
}

/** `Name { …fields }` as inspect would print a plain object of the fields. */
export function inspectAs(name: string, fields: Record<string, unknown>, depth: number, opts: InspectOptionsStylized): string {
  return `${name} ${inspect(fields, { ...opts, depth })}`;
}
