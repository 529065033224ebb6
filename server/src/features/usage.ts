/**
 * The usage table of a prompt (per version, optionally per hour/day); what it fetches
 * for all time also feeds the hover's counts.
 */
import { ResponseError } from 'vscode-languageserver';
import type { HostSource } from '../index/source';
import type { UsageCounts } from '../index/usage';
import * as protocol from '../protocol';

export async function usageTable(source: HostSource, params: protocol.UsageParams, counts: UsageCounts): Promise<protocol.UsageResult> {
  if (!source.usage || !source.usageSeries) {
    throw new ResponseError(protocol.ErrorCodes.Invalid, `"${params.host}" is a local folder: usage is recorded by forge servers only`, { code: 'usage_unavailable' });
  }
  const [versions, series] = await Promise.all([
    source.usage(params.repo, params.id, params.since),
    params.bucket ? source.usageSeries(params.repo, params.id, params.bucket, params.since) : undefined,
  ]);
  if (!params.since) counts.remember(params.host, params.repo, params.id, versions);
  return { versions, ...(series ? { series } : {}) };
}
