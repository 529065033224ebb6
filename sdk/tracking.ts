/**
 * Tracking ids tie a usage report to the exact prompt version a `get` returned. They
 * index a fixed ring instead of a growing map: issuing one costs a counter bump, and
 * an app that never reports usage holds no more than the ring's size.
 */
import { randomBytes } from 'node:crypto';
import type { Backend } from './backend';
import type { PromptEntry } from './entry';

export interface TrackedCall {
  backend: Backend;
  repo: string;
  id: string;
  sha: string | null;
  /** The experiment and variant of the call, when it was assigned in one. */
  experiment: string | null;
  variant: string | null;
}

interface Slot extends TrackedCall {
  seq: number;
}

export class TrackingIds {
  private readonly ring: (Slot | undefined)[];
  private seq = 0;
  /** Distinguishes ids of this client from those of another process or client. */
  private readonly prefix = `t${randomBytes(4).toString('hex')}.`;

  constructor(private readonly size = 16_384) {
    this.ring = new Array(size);
  }

  issue(backend: Backend, entry: PromptEntry, experiment: string | null = null, variant: string | null = null): string {
    const seq = ++this.seq;
    const slot = this.ring[seq % this.size];
    // Slots are reused in place: issuing an id allocates nothing but the id.
    if (slot === undefined) this.ring[seq % this.size] = { seq, backend, repo: entry.repo, id: entry.id, sha: entry.sha, experiment, variant };
    else {
      slot.seq = seq;
      slot.backend = backend;
      slot.repo = entry.repo;
      slot.id = entry.id;
      slot.sha = entry.sha;
      slot.experiment = experiment;
      slot.variant = variant;
    }
    return this.prefix + seq.toString(36);
  }

  /** The call, or undefined when the id is foreign or too old to remember. */
  lookup(trackingId: string): TrackedCall | undefined {
    if (typeof trackingId !== 'string' || !trackingId.startsWith(this.prefix)) return undefined;
    const seq = parseInt(trackingId.slice(this.prefix.length), 36);
    const slot = this.ring[seq % this.size];
    return slot?.seq === seq ? { backend: slot.backend, repo: slot.repo, id: slot.id, sha: slot.sha, experiment: slot.experiment, variant: slot.variant } : undefined;
  }
}
