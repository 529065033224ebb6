/** The usage store the config names: Postgres when `usage.url` is set, else the embedded SQLite file. */
import type { ForgeConfig } from '../config';
import { PgUsageStore } from './pgStore';
import type { UsageSink } from './sink';
import { UsageStore } from './store';

export async function openUsage(config: Pick<ForgeConfig, 'usageDb' | 'usageUrl' | 'usageRetentionDays'>, log: (line: string) => void): Promise<UsageSink> {
  if (config.usageUrl) return PgUsageStore.open(config.usageUrl, { retentionDays: config.usageRetentionDays, log });
  return new UsageStore(config.usageDb, { retentionDays: config.usageRetentionDays });
}
