/**
 * The parts of the forge's usage answers that the chart and the comparison read
 * (`GET …/usage`): narrowed from the wire shapes the forge answers (core/wire.ts).
 */
import type { Series, VersionMetrics } from '../wire';

/** Calls and success rate per version per UTC hour or day (`GET …/usage?bucket=`). */
export type UsageSeries = Pick<Series, 'bucket' | 'versions'>;

/** One version's metrics (`GET …/usage`). */
export type VersionUsage = Pick<VersionMetrics, 'sha' | 'calls' | 'successRate' | 'latencyP50' | 'latencyP95' | 'inputTokens' | 'outputTokens' | 'feedback' | 'lastSeen'>;
