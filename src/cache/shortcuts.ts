/**
 * The hit path of the commonest cached reads, `COMMAND key` methods (get, hgetall, smembers…):
 * a cached client gets its own copy of each such method that looks the key up before any argv is
 * built or argument checked, and hands everything else (misses, odd arguments, views that
 * cannot use the cache) to the ordinary method unchanged.
 */
import { Flag, type MethodDef } from '../commands/command.js';
import { coreMethods } from '../commands/index.js';

/** What a shortcut asks of its client: the hit for `key`, or undefined to take the ordinary path. */
export interface ShortcutHost {
  cachedHit(def: MethodDef, key: string): Promise<unknown> | undefined;
}

type Method = (this: ShortcutHost, ...args: unknown[]) => unknown;

/** Method name -> its definition, for the table's methods whose argv is exactly [NAME, key]. */
let singleKeyMethods: Map<string, MethodDef> | null = null;

function findSingleKeyMethods(): Map<string, MethodDef> {
  const out = new Map<string, MethodDef>();
  for (const [name, def] of Object.entries(coreMethods)) {
    if ((def.info.flags & Flag.CACHEABLE) === 0 || def.variant !== undefined || def.restAt !== undefined || def.build.length !== 1) continue;
    let argv: unknown[];
    try {
      argv = def.build('\u0000probe');
    } catch {
      continue;
    }
    if (argv.length === 2 && argv[1] === '\u0000probe') out.set(name, def);
  }
  return out;
}

/** Gives `client` its shortcuts, as own properties over the prototype's methods. */
export function installHitShortcuts(client: ShortcutHost): void {
  singleKeyMethods ??= findSingleKeyMethods();
  const proto = Object.getPrototypeOf(client) as Record<string, Method>;
  for (const [name, def] of singleKeyMethods) {
    const ordinary = proto[name];
    if (typeof ordinary !== 'function') continue;
    Object.defineProperty(client, name, {
      configurable: true,
      writable: true,
      value: function (this: ShortcutHost, key: unknown) {
        if (arguments.length === 1 && typeof key === 'string') {
          const hit = this.cachedHit(def, key);
          if (hit !== undefined) return hit;
        }
        // eslint-disable-next-line prefer-rest-params
        return ordinary.apply(this, arguments as unknown as unknown[]);
      },
    });
  }
}
