/**
 * Experiments as the SDK sees them (DESIGN §7): one slot per label that has (or had) an
 * experiment, holding the definition last seen — from a resolve answer or the event
 * stream — its bucket ranges, and the variants' prompts. Assignment is core's
 * GrowthBook v2 hash over the slot's ranges: no network call, the same answer in every
 * process. No definition, a stopped one, or a variant whose prompt has not arrived yet
 * all mean the control.
 */
import { assign, assignerOf, CONTROL, type Assigner, type ExperimentWire } from '../core/experiments';
import type { PromptEntry } from './entry';

export type { ExperimentWire };

export interface ExperimentSlot {
  definition: ExperimentWire | null;
  /** Null unless the definition is running. */
  assigner: Assigner | null;
  /** Variant prompts by SHA, loaded when a definition names them. */
  entries: Map<string, PromptEntry>;
  /** The answer for each variation index (control first), built once: a get allocates nothing to assign. */
  arms: (Assignment | undefined)[];
}

export interface Assignment {
  experiment: string;
  variant: string;
  /** The variant's prompt; undefined for the control. */
  entry: PromptEntry | undefined;
}

export class ExperimentSlots {
  private readonly slots = new Map<string, ExperimentSlot>();

  /** The slot of a label, made on first use so cache entries can point at it. */
  slot(host: string, repo: string, id: string, label: string): ExperimentSlot {
    const key = `${host}\n${repo}\n${id}\n${label}`;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { definition: null, assigner: null, entries: new Map(), arms: [] }));
    return slot;
  }

  /** Existing slot only (events for labels this process never asked for are ignored). */
  find(host: string, repo: string, id: string, label: string): ExperimentSlot | undefined {
    return this.slots.get(`${host}\n${repo}\n${id}\n${label}`);
  }

  /** Takes a definition (null: the label has none now). Returns the variant SHAs whose prompts are missing. */
  static apply(slot: ExperimentSlot, definition: ExperimentWire | null): string[] {
    slot.definition = definition;
    slot.assigner = definition ? assignerOf(definition) : null;
    if (!slot.assigner || !definition) {
      slot.arms = [];
      return [];
    }
    const live = new Set(definition.variants.map((v) => v.sha));
    for (const sha of slot.entries.keys()) if (!live.has(sha)) slot.entries.delete(sha);
    ExperimentSlots.rebuild(slot);
    return definition.variants.map((v) => v.sha).filter((sha) => !slot.entries.has(sha));
  }

  /** A variant's prompt arrived. */
  static addEntry(slot: ExperimentSlot, sha: string, entry: PromptEntry): void {
    slot.entries.set(sha, entry);
    ExperimentSlots.rebuild(slot);
  }

  private static rebuild(slot: ExperimentSlot): void {
    const d = slot.definition;
    if (!d) return;
    slot.arms = [
      { experiment: d.key, variant: CONTROL, entry: undefined },
      // A variant whose prompt has not arrived yet: its units get the control, uncounted.
      ...d.variants.map((v) => {
        const entry = slot.entries.get(v.sha);
        return entry ? { experiment: d.key, variant: v.name, entry } : undefined;
      }),
    ];
  }
}

/**
 * The arm of `unit`, or undefined when the unit is outside the experiment (or there
 * is none running). The hot path of a cached get with a unit: two FNV hashes and a
 * scan of a few ranges.
 */
export function assignUnit(slot: ExperimentSlot, unit: string): Assignment | undefined {
  const a = slot.assigner;
  if (a === null) return undefined;
  const index = assign(a, unit);
  return index < 0 ? undefined : slot.arms[index];
}

/** A definition from the wire, or null when it is not one. */
export function wireDefinition(raw: unknown): ExperimentWire | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const d = raw as Partial<ExperimentWire>;
  if (typeof d.key !== 'string' || typeof d.seed !== 'string' || typeof d.coverage !== 'number' || !Array.isArray(d.variants)) return null;
  if (typeof d.repo !== 'string' || typeof d.id !== 'string' || typeof d.label !== 'string') return null;
  return d as ExperimentWire;
}
