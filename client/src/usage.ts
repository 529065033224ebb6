// Records usage (here: a rated run from Render & Test) with the forge's usage route,
// so the feedback shows up in that version's metrics next to production traffic.
import * as vscode from 'vscode';
import type { UsageEvent as ForgeUsageEvent } from '../../sdk/forgeTypes';

/** A usage event as the forge's API takes it, naming its version by repo, id and sha. */
export type UsageEvent = ForgeUsageEvent & { repo: string; id: string; sha: string };

export async function recordUsage(host: string, keys: Record<string, string>, event: UsageEvent): Promise<void> {
  const hosts = vscode.workspace.getConfiguration('promptforge').get<Record<string, { url?: string }>>('hosts', {});
  const url = hosts[host]?.url;
  if (!url) throw new Error(`${host} is a local repository; usage is recorded by forge servers only`);
  const response = await fetch(`${url.replace(/\/+$/, '')}/api/v1/usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(keys[host] ? { authorization: `Bearer ${keys[host]}` } : {}) },
    body: JSON.stringify({ events: [event] }),
  });
  if (!response.ok) throw new Error(`${host} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}
