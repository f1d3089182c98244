// Config-file rendering shared by every server kind. A config file (rather than command-line flags)
// lets restart() reuse the exact same settings, and sidesteps how each server version parses empty
// or space-containing command-line arguments.

/**
 * Double-quotes a value the way the server's config tokenizer (sdssplitargs) reads it back, so paths,
 * passwords and the empty string survive whatever characters they hold.
 */
export function quoteConfigArg(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
  return `"${escaped}"`;
}

export function confLine(key: string, ...values: (string | number)[]): string {
  return [key, ...values.map(quoteConfigArg)].join(' ');
}

/** Joins lines; falsy entries let callers write optional settings inline as `cond && confLine(...)`. */
export function renderConfig(lines: (string | false | undefined | null)[]): string {
  return lines.filter((l): l is string => typeof l === 'string' && l !== '').join('\n') + '\n';
}
