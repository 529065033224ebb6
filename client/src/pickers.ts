// Quick picks that walk the user through prompt → version → label, each list
// filled from the server (the tree and a prompt's history).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';
import type { ForgeTree } from './tree';

export async function pickPrompt(tree: ForgeTree, title: string): Promise<PromptRef | undefined> {
  const prompts = await tree.prompts();
  if (prompts.length === 0) {
    void vscode.window.showInformationMessage('No prompts yet: add a host (Prompt Forge: Add Host…) or open the demo.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    prompts.map(({ ref, prompt }) => ({
      label: prompt.id,
      description: `${ref.host}/${ref.repo}${prompt.status !== 'active' ? ` · ${prompt.status}` : ''}`,
      detail: prompt.description,
      ref,
    })),
    { title, placeHolder: 'Prompt', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.ref;
}

export interface VersionPick {
  spec: string;
  sha: string;
}

/** Labels, releases and history of a prompt, newest first; `HEAD` on top. */
export async function versionItems(client: LanguageClient, ref: PromptRef): Promise<(vscode.QuickPickItem & { version?: VersionPick })[]> {
  const { versions } = await client.sendRequest(P.VersionsRequest, ref);
  const items: (vscode.QuickPickItem & { version?: VersionPick })[] = [];
  const head = versions[0];
  if (head) items.push({ label: 'HEAD', description: head.sha.slice(0, 7), detail: head.message, version: { spec: 'HEAD', sha: head.sha } });
  const labels = versions.flatMap((v) => v.labels.map((label) => ({ label, v })));
  if (labels.length) items.push({ label: 'Labels', kind: vscode.QuickPickItemKind.Separator });
  for (const { label, v } of labels) items.push({ label: `$(tag) ${label}`, description: `→ ${v.release ?? v.sha.slice(0, 7)}`, detail: v.message, version: { spec: label, sha: v.sha } });
  const releases = versions.filter((v) => v.release);
  if (releases.length) items.push({ label: 'Releases', kind: vscode.QuickPickItemKind.Separator });
  for (const v of releases) items.push({ label: `$(package) ${v.release}`, description: v.sha.slice(0, 7), detail: v.message, version: { spec: v.release!, sha: v.sha } });
  items.push({ label: 'History', kind: vscode.QuickPickItemKind.Separator });
  for (const v of versions) {
    items.push({
      label: `$(git-commit) ${v.sha.slice(0, 7)}`,
      description: [v.release, ...v.labels, v.author, new Date(v.date).toLocaleDateString()].filter(Boolean).join(' · '),
      detail: v.message,
      version: { spec: v.sha, sha: v.sha },
    });
  }
  return items;
}

export async function pickVersion(client: LanguageClient, ref: PromptRef, title: string): Promise<VersionPick | undefined> {
  const picked = await vscode.window.showQuickPick(versionItems(client, ref), { title, placeHolder: `Version of ${ref.id}`, matchOnDescription: true, matchOnDetail: true });
  return picked?.version;
}
