/**
 * Where a host's prompts come from: a forge over HTTP, or a git repo folder read in
 * process (local mode). The prompt client treats both alike.
 */
import type { PromptEntry, Rendered } from './entry';
import type { UsageEvent } from './forgeTypes';
import type { Target } from './reference';
import type { ExperimentWire } from './experiments';

/** Something changed in `repo`/`id`; undefined means anything may have changed. */
export type ChangeListener = (repo: string | undefined, id: string | undefined) => void;

export interface Resolved {
  entry: PromptEntry;
  /** The source's own render with the params asked for, when it renders while resolving. */
  rendered?: Rendered;
  /**
   * The experiment running on the label resolved (DESIGN §7): null when the source says
   * there is none, undefined when it cannot say (a version that is not a label, local mode).
   */
  experiment?: ExperimentWire | null;
}

export interface Backend {
  /** Names the source in error messages: `forge at http://…`, `local repo …`. */
  readonly describe: string;
  /** False while the source is known down: callers must not wait on it. */
  available(): boolean;
  /** Why the source is down, when `available()` is false. */
  downReason(): string;
  /**
   * The prompt's template and metadata at the target's version. `params` are the call's:
   * a forge renders while it resolves, and refuses a prompt whose required params are missing.
   */
  resolve(target: Target, params: Record<string, unknown>): Promise<Resolved>;
  /** Absent where usage has nowhere to go (local mode). */
  sendUsage?(events: UsageEvent[]): Promise<void>;
  /** `onExperiment` gets every experiment definition the source announces (started, changed, stopped). */
  watch(onChange: ChangeListener, onError: (error: unknown) => void, onExperiment?: (definition: ExperimentWire) => void): void;
  close(): Promise<void>;
}
