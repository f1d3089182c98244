// What a walk of the keyspace node by node can miss while slots move, and how it is read again.
//
// SCAN promises every key that exists from the start of a walk to its end at least once. A cluster
// walk visits the primaries one after the other, so a key that goes from a primary not yet walked to
// one already walked (a slot changing owner mid-walk) is seen by neither. After the walk, the slots
// whose owner changed, and those still being imported somewhere, are read again whole with CLUSTER
// GETKEYSINSLOT, first on their owner and then on the importing node, so a key that moves meanwhile
// is still met on the way. Those reads skip SCAN's own filters, so MATCH and TYPE are applied here.

/**
 * Matches `text` against a Redis glob pattern (`*`, `?`, `[abc]`, `[^a-z]`, `\` escapes), byte for
 * byte. A mismatch after a `*` resumes from that star one character further on, never from earlier
 * ones, so no pattern takes more than length × length steps.
 */
export function globMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p[pi]!;
      if (c === '*') {
        while (p[pi + 1] === '*') pi++;
        star = pi++;
        resume = si;
        continue;
      }
      let next = -1;
      if (c === '?') {
        next = pi + 1;
      } else if (c === '[') {
        next = matchClass(p, pi + 1, s[si]!);
      } else {
        const at = c === '\\' && pi + 1 < p.length ? pi + 1 : pi;
        if (p[at] === s[si]) next = at + 1;
      }
      if (next >= 0) {
        pi = next;
        si++;
        continue;
      }
    }
    if (star < 0) return false;
    pi = star + 1;
    si = ++resume;
  }
  while (p[pi] === '*') pi++;
  return pi >= p.length;
}

/**
 * Reads the class that starts at `from` (just after its `[`) the way Redis's stringmatchlen does: the
 * position after it when `ch` is in it (or out of it, for `[^…]`), -1 otherwise. An unclosed class
 * runs to the pattern's end.
 */
function matchClass(p: string, from: number, ch: string): number {
  let i = from;
  const negate = p[i] === '^';
  if (negate) i++;
  let found = false;
  for (;;) {
    if (i >= p.length) break;
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      i++;
      if (p[i] === ch) found = true;
    } else if (c === ']') {
      break;
    } else if (i + 2 < p.length && p[i + 1] === '-') {
      let lo = c;
      let hi = p[i + 2]!;
      if (lo > hi) [lo, hi] = [hi, lo];
      if (ch >= lo && ch <= hi) found = true;
      i += 2;
    } else if (c === ch) {
      found = true;
    }
    i++;
  }
  return found !== negate ? Math.min(i + 1, p.length) : -1;
}

/** Text to match byte for byte: a Buffer's bytes, or a string's UTF-8 bytes, one character each. */
export function bytesOf(v: string | Buffer): string {
  return typeof v === 'string' ? Buffer.from(v, 'utf8').toString('latin1') : v.toString('latin1');
}
