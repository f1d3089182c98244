/**
 * The cluster's pipeline: the standalone Pipeline (its queueing, typing and `exec()` options), run by
 * splitting its commands by slot and node (ClusterState.runBatch) instead of writing them on one
 * connection. Multi-key commands whose keys span slots are split per slot and merged back, as the
 * cluster client does for a single call; keyless commands go where their request policy says.
 */
import { CrossSlotError, NoScriptError } from '../errors.js';
import type { MethodDef } from '../commands/command.js';
import { POLICIES, type CommandPolicy } from '../commands/policies.js';
import { commandLabel, keyPositions, lookup } from '../commands/registry.js';
import { settleAll, type BatchRunner, type QueuedCommand } from '../client/pipeline.js';
import { Flag } from '../commands/command.js';
import { mergeParts, splitBySlot, type SlotPart } from './merge.js';
import { keySlot } from './slot.js';
import type { BatchItem } from './cluster.js';

/** What the pipeline needs from the cluster's state, with the view's call settings bound. */
export interface BatchRouter {
  runBatch(items: ReadonlyArray<BatchItem>): Array<Promise<unknown>> | Promise<Array<Promise<unknown>>>;
  runKeyless(def: MethodDef, argv: BatchItem['argv'], policy: CommandPolicy | undefined): Promise<unknown>;
}

/** The definition a queued command is routed and re-sent with: the table's entry, its own transform. */
function defOf(c: QueuedCommand): MethodDef {
  const info = lookup(c.argv) ?? { id: String(c.argv[0]).toLowerCase(), flags: 0, keys: null };
  return { info, build: () => c.argv, transform: c.transform, binary: c.buffers };
}

/** How one queued command is answered: one item, several (split by slot) merged, or a fan-out. */
type Plan =
  | { kind: 'one'; at: number }
  | { kind: 'split'; at: number; count: number; parts: SlotPart[]; policy: CommandPolicy | undefined; keys: number }
  | { kind: 'fanout'; promise: Promise<unknown> };

function crossSlot(name: string, slots: number[]): CrossSlotError {
  const err = new CrossSlotError(`CROSSSLOT the keys of ${name} hash to ${new Set(slots).size} slots and it cannot be split; nothing was sent`, 'CROSSSLOT');
  err.command = name;
  return err;
}

/** The runner behind `cluster.pipeline()`. */
export function clusterBatchRunner(router: BatchRouter): BatchRunner {
  return async (queued) => {
    const items: BatchItem[] = [];
    const plans = new Array<Plan>(queued.length);
    for (let i = 0; i < queued.length; i++) {
      const c = queued[i]!;
      const def = defOf(c);
      const info = def.info;
      const positions = info.keys === null ? [] : keyPositions(info, c.argv);
      if (positions.length === 0) {
        const policy = POLICIES.get(info.id);
        if (policy !== undefined && (policy.request === 'allShards' || policy.request === 'allNodes') && policy.response !== 'special') {
          plans[i] = { kind: 'fanout', promise: router.runKeyless(def, c.argv, policy) };
        } else {
          plans[i] = { kind: 'one', at: items.length };
          items.push({ def, argv: c.argv, slot: -1, read: false, script: c.script });
        }
        continue;
      }
      const read = (info.flags & Flag.READONLY) !== 0 && (info.flags & Flag.WRITE) === 0;
      const slots = positions.map((p) => keySlot(c.argv[p]!));
      const first = slots[0]!;
      if (slots.every((s) => s === first)) {
        plans[i] = { kind: 'one', at: items.length };
        items.push({ def, argv: c.argv, slot: first, read, script: c.script });
        continue;
      }
      const policy = POLICIES.get(info.id);
      const spec = info.keys;
      if (policy?.request !== 'multiShard' || spec === null || typeof spec === 'function') {
        plans[i] = { kind: 'fanout', promise: Promise.reject(crossSlot(c.name, slots)) };
        continue;
      }
      const parts = splitBySlot(c.argv, positions, slots, spec.step);
      plans[i] = { kind: 'split', at: items.length, count: parts.length, parts, policy, keys: positions.length };
      for (const part of parts) items.push({ def, argv: part.argv, slot: part.slot, read });
    }
    const sent = await router.runBatch(items);
    for (let i = 0; i < queued.length; i++) {
      const script = queued[i]!.script;
      const plan = plans[i]!;
      if (script === null || plan.kind !== 'one') continue;
      // Each node gets SCRIPT LOAD ahead of its share, in the same write (runBatch). A command that
      // went through the single-command loop instead (its node was down) may still meet NOSCRIPT:
      // then EVAL with the body, on that node alone.
      const item = items[plan.at]!;
      sent[plan.at] = sent[plan.at]!.catch((e: unknown) => {
        if (!(e instanceof NoScriptError)) throw e;
        const argv = item.argv.slice();
        argv[0] = script.evalDef.info.id.toUpperCase();
        argv[1] = script.lua;
        const def: MethodDef = { info: script.evalDef.info, build: () => argv, transform: item.def.transform };
        const again = router.runBatch([{ def, argv, slot: item.slot, read: item.read }]);
        return Array.isArray(again) ? again[0] : again.then((ps) => ps[0]);
      });
    }
    const promises = new Array<Promise<unknown>>(queued.length);
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      if (plan.kind === 'fanout') promises[i] = plan.promise;
      else if (plan.kind === 'one') promises[i] = sent[plan.at]!;
      else {
        promises[i] = Promise.all(sent.slice(plan.at, plan.at + plan.count)).then((replies) => mergeParts(plan.policy?.response, plan.parts, replies, plan.keys));
      }
    }
    return settleAll(promises);
  };
}

/** Refused before anything is sent: a MULTI's keys must share one slot. The slot, or -1 when keyless. */
export function slotOfAll(queued: ReadonlyArray<QueuedCommand>, what: string): number {
  let slot = -1;
  for (const c of queued) {
    const info = lookup(c.argv);
    if (info === undefined) continue;
    for (const p of keyPositions(info, c.argv)) {
      const s = keySlot(c.argv[p]!);
      if (slot === -1) slot = s;
      else if (s !== slot) {
        const err = new CrossSlotError(`CROSSSLOT the keys of a cluster ${what} must hash to one slot (use a {hash tag}); ${commandLabel(info.id)} has a key in slot ${s}, an earlier one is in slot ${slot}; nothing was sent`, 'CROSSSLOT');
        err.command = commandLabel(info.id);
        throw err;
      }
    }
  }
  return slot;
}
