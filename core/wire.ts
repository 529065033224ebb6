/**
 * Shapes the forge answers over HTTP and its clients read: declared once here, because
 * the forge (which builds them) and the SDK (which reads them) may both import core and
 * neither may import the other. Types only.
 */

/** Per-version metrics (`GET …/usage`), the DESIGN §4 shape. */
export interface VersionMetrics {
  sha: string;
  release: string | null;
  labels: string[];
  calls: number;
  successRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokens: number;
  outputTokens: number;
  feedback: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface SeriesPoint {
  /** Start of the bucket, ISO. */
  start: string;
  calls: number;
  successRate: number | null;
}

/** Calls and success per hour or day, per version (`GET …/usage?bucket=`). */
export interface Series {
  bucket: 'hour' | 'day';
  versions: { sha: string; points: SeriesPoint[] }[];
}

export interface Suggestion {
  title: string;
  detail: string;
}

/** What a model's review answer holds once read. */
export interface ReviewAnswer {
  summary: string;
  suggestions: Suggestion[];
  /** The complete revised file, or null when the model proposes no change. */
  revised: string | null;
}

/** A review (`POST …/review`). */
export interface ReviewResult extends ReviewAnswer {
  repo: string;
  id: string;
  /** The reviewed version: pass it back as `base` to apply the suggestion. */
  sha: string;
  /** Unified diff from the reviewed file to `revised`; null when there is no revision. */
  diff: string | null;
  model: string;
  usage: { inputTokens: number | null; outputTokens: number | null };
  /** How many consented samples went to the model. */
  samples: number;
  /** Errors in `revised` as a prompt file (1-based line and column): applying it would be refused. */
  problems: { code: string; message: string; line: number; column: number }[];
}
