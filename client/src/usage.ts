// Usage in the editor: per-version metrics fetched through the language server (for the
// tree and Render & Test), and recording a rated run from Render & Test with the forge's
// usage route, so the feedback shows up in that version's metrics next to app traffic.
import { LRUCache } from 'lru-cache';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { UsageEvent as ForgeUsageEvent } from '../../sdk/forgeTypes';

/**
 * Per-version metrics of the prompts shown in the tree. `of` answers at once from what is
 * known and fetches in the background; `onDidChange` fires when new numbers arrive.
 */
export class UsageCache implements vscode.Disposable {
  // The same freshness as the hover's: a minute, so the forge is not asked on every expand;
  // an old value is shown while one refresh runs. No usage (a local folder, a forge that
  // is down) is remembered too, for a minute. Every value kept fires `onDidChange`.
  private readonly known = new LRUCache<string, BySha, P.PromptRef>({
    max: 2_000,
    ttl: 60_000,
    allowStale: true,
    noDeleteOnStaleGet: true,
    fetchMethod: async (_key, _stale, { context }) => {
      try {
        const { versions } = await this.client.sendRequest(P.UsageRequest, context);
        return new Map(versions.map((v) => [v.sha, v]));
      } catch {
        return new Map();
      }
    },
    onInsert: () => this.changed.fire(),
  });
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  /** The prompt's metrics by SHA, or undefined while unknown (local hosts never have any). */
  of(ref: P.PromptRef): BySha | undefined {
    const key = keyOf(ref);
    if (!this.known.has(key)) void this.known.fetch(key, { context: ref });
    return this.known.get(key);
  }

  /** Drops what is known of a prompt (after recording usage), or of all (Refresh), so the next look fetches. */
  forget(ref?: P.PromptRef): void {
    if (ref) this.known.delete(keyOf(ref));
    else this.known.clear();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type BySha = Map<string, P.VersionUsage>;

const keyOf = (ref: P.PromptRef) => `${ref.host}/${ref.repo}/${ref.id}`;

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
