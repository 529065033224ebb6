/**
 * The parts of the forge's usage answers that the chart and the comparison read
 * (`GET …/usage`), written out here so core imports nothing of the project: the forge's
 * own types (forge/usage) are wider and fit these.
 */

/** Calls and success rate per version per UTC hour or day (`GET …/usage?bucket=`). */
export interface UsageSeries {
  bucket: 'hour' | 'day';
  versions: { sha: string; points: { start: string; calls: number; successRate: number | null }[] }[];
}

/** One version's metrics (`GET …/usage`). */
export interface VersionUsage {
  sha: string;
  calls: number;
  successRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokens: number;
  outputTokens: number;
  feedback: number | null;
  /** ISO time of the version's newest call. */
  lastSeen: string | null;
}
