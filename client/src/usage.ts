// Usage in the editor: per-version metrics fetched through the language server (for the
// tree and Render & Test), and recording a rated run from Render & Test with the forge's
// usage route, so the feedback shows up in that version's metrics next to app traffic.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { UsageEvent as ForgeUsageEvent } from '../../sdk/forgeTypes';
import type { PromptRef } from './tree';

// The same freshness as the hover's: a minute, so the forge is not asked on every expand.
const freshForMs = 60_000;

/**
 * Per-version metrics of the prompts shown in the tree. `of` answers at once from what is
 * known and fetches in the background; `onDidChange` fires when new numbers arrive.
 */
export class UsageCache implements vscode.Disposable {
  private readonly known = new Map<string, { at: number; versions: Map<string, P.VersionUsage> }>();
  private readonly pending = new Set<string>();
  private readonly changed = new vscode.EventEmitter<PromptRef>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  /** The prompt's metrics by SHA, or undefined while unknown (local hosts never have any). */
  of(ref: PromptRef): Map<string, P.VersionUsage> | undefined {
    const key = keyOf(ref);
    const entry = this.known.get(key);
    if (!entry || Date.now() - entry.at > freshForMs) this.fetch(key, ref);
    return entry?.versions;
  }

  /** Drops what is known of a prompt (after recording usage), or of all (Refresh), so the next look fetches. */
  forget(ref?: PromptRef): void {
    if (ref) this.known.delete(keyOf(ref));
    else this.known.clear();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private fetch(key: string, ref: PromptRef): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.client
      .sendRequest(P.UsageRequest, ref)
      .then(
        ({ versions }) => {
          this.known.set(key, { at: Date.now(), versions: new Map(versions.map((v) => [v.sha, v])) });
          this.changed.fire(ref);
        },
        // No usage (a local folder, a forge that is down): remember that too, for a minute.
        () => this.known.set(key, { at: Date.now(), versions: new Map() }),
      )
      .finally(() => this.pending.delete(key));
  }
}

const keyOf = (ref: PromptRef) => `${ref.host}/${ref.repo}/${ref.id}`;

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
