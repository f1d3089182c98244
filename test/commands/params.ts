/**
 * Reads a builder's parameter list from its source, for the tests that keep the command table's
 * builders in the form the method wrapper relies on (no rest or default parameters: `length` is
 * then the most arguments a method takes).
 */
export interface Params {
  count: number;
  rest: boolean;
  defaults: boolean;
}

export function paramsOf(fn: (...args: never[]) => unknown): Params | null {
  const src = Function.prototype.toString.call(fn).trim();
  const arrow = /^(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrow !== null) return { count: 1, rest: false, defaults: false };
  const open = src.indexOf('(');
  if (open === -1) return null;
  let depth = 0;
  let quote: string | null = null;
  const params: string[] = [];
  let current = '';
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i]!;
    if (quote !== null) {
      current += ch;
      if (ch === '\\') current += src[++i];
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (depth === 0) {
        if (current.trim() !== '') params.push(current.trim());
        return { count: params.length, rest: params.some((p) => p.startsWith('...')), defaults: params.some((p) => /^[\w$]+\s*=/.test(p)) };
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      params.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  return null;
}
