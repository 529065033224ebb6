// The Prompt Forge view: hosts → repos → prompts → labels, releases and history.
// Data comes from the server's `promptforge/tree` and `promptforge/versions`; the
// view refreshes when the server says the forge changed. Versions show their usage
// (calls, success rate) once the forge has answered it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import { hostIcon, type IconSpec } from './hostIcon';
import type { UsageCache } from './usage';

/** A prompt without a version. */
export type PromptRef = P.PromptRef;

export type ForgeNode =
  | { kind: 'host'; host: P.HostNode }
  | { kind: 'repo'; host: P.HostNode; repo: P.RepoNode }
  | { kind: 'prompt'; ref: PromptRef; prompt: P.PromptNode }
  | { kind: 'group'; ref: PromptRef; prompt: P.PromptNode; group: 'labels' | 'releases' | 'history' }
  | { kind: 'label'; ref: PromptRef; label: P.LabelNode }
  | { kind: 'release'; ref: PromptRef; release: P.ReleaseNode }
  | { kind: 'version'; ref: PromptRef; entry: P.VersionNode };

/** The prompt (and version, when the node names one) a tree node stands for. */
export function nodeTarget(node: ForgeNode): { ref: PromptRef; version?: string } | undefined {
  switch (node.kind) {
    case 'prompt':
    case 'group':
      return { ref: node.ref };
    case 'label':
      return { ref: node.ref, version: node.label.name };
    case 'release':
      return { ref: node.ref, version: node.release.version };
    case 'version':
      return { ref: node.ref, version: node.entry.sha };
    default:
      return undefined;
  }
}

const statusIcons: Record<string, vscode.ThemeIcon> = {
  active: new vscode.ThemeIcon('symbol-string', new vscode.ThemeColor('charts.green')),
  draft: new vscode.ThemeIcon('edit', new vscode.ThemeColor('charts.yellow')),
  deprecated: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.deemphasizedForeground')),
};
const themeIcon = ({ id, color }: IconSpec) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export class ForgeTree implements vscode.TreeDataProvider<ForgeNode> {
  private readonly changed = new vscode.EventEmitter<ForgeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private hosts: Promise<P.HostNode[]> | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly usage: UsageCache,
  ) {
    usage.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.hosts = undefined;
    this.changed.fire(undefined);
  }

  /** `· 1,204 calls · 97% success` after a version's description, and its details for the tooltip. */
  private usageOf(ref: PromptRef, sha: string): { description: string; tooltip: string } {
    const u = this.usage.of(ref)?.get(sha);
    if (!u) return { description: '', tooltip: '' };
    const details = [
      P.describeUsage(u),
      u.latencyP50 !== null ? `p50 ${u.latencyP50} ms · p95 ${u.latencyP95} ms` : '',
      u.feedback !== null ? `feedback ${u.feedback > 0 ? '+' : ''}${u.feedback.toFixed(2)}` : '',
      u.lastSeen ? `last used ${u.lastSeen.slice(0, 16).replace('T', ' ')} UTC` : '',
    ].filter(Boolean);
    return { description: ` · ${P.describeUsage(u)}`, tooltip: `\n\nUsage: ${details.join(' · ')}` };
  }

  /** Every prompt of every host, for pickers. */
  async prompts(): Promise<{ ref: PromptRef; prompt: P.PromptNode }[]> {
    const hosts = await this.loadHosts();
    return hosts.flatMap((host) => host.repos.flatMap((repo) => repo.prompts.map((prompt) => ({ ref: { host: host.name, repo: repo.name, id: prompt.id }, prompt }))));
  }

  async hostNames(): Promise<string[]> {
    return (await this.loadHosts()).map((h) => h.name);
  }

  private loadHosts(): Promise<P.HostNode[]> {
    this.hosts ??= this.client.sendRequest(P.TreeRequest, {}).then((tree) => {
      void vscode.commands.executeCommand('setContext', 'promptforge.hostCount', tree.hosts.length);
      return tree.hosts;
    });
    return this.hosts;
  }

  async getChildren(node?: ForgeNode): Promise<ForgeNode[]> {
    if (!node) return (await this.loadHosts()).map((host) => ({ kind: 'host', host }));
    switch (node.kind) {
      case 'host':
        return node.host.repos.map((repo) => ({ kind: 'repo', host: node.host, repo }));
      case 'repo':
        return node.repo.prompts.map((prompt) => ({ kind: 'prompt', ref: { host: node.host.name, repo: node.repo.name, id: prompt.id }, prompt }));
      case 'prompt':
        return (['labels', 'releases', 'history'] as const).map((group) => ({ kind: 'group', ref: node.ref, prompt: node.prompt, group }));
      case 'group':
        if (node.group === 'labels') return node.prompt.labels.map((label) => ({ kind: 'label', ref: node.ref, label }));
        if (node.group === 'releases') return node.prompt.releases.map((release) => ({ kind: 'release', ref: node.ref, release }));
        return (await this.client.sendRequest(P.VersionsRequest, node.ref)).versions.map((entry) => ({ kind: 'version', ref: node.ref, entry }));
      default:
        return [];
    }
  }

  getTreeItem(node: ForgeNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'host': {
        const item = new vscode.TreeItem(node.host.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.host.state === 'connected' ? node.host.location : `${node.host.state} · ${node.host.location}`;
        item.tooltip = new vscode.MarkdownString(`**${node.host.name}** → \`${node.host.location}\`\n\n${node.host.message ?? node.host.state}`);
        item.iconPath = themeIcon(hostIcon(node.host.state));
        item.contextValue = 'host';
        item.id = `host:${node.host.name}`;
        return item;
      }
      case 'repo': {
        const item = new vscode.TreeItem(node.repo.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.repo.prompts.length} prompt${node.repo.prompts.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('repo');
        item.contextValue = 'repo';
        item.id = `repo:${node.host.name}/${node.repo.name}`;
        return item;
      }
      case 'prompt': {
        const p = node.prompt;
        const item = new vscode.TreeItem(p.id, Collapsed);
        const production = p.labels.find((l) => l.name === 'production');
        item.description = [p.status !== 'active' ? p.status : '', production ? `production → ${production.release ?? production.sha.slice(0, 7)}` : ''].filter(Boolean).join(' · ');
        const tooltip = new vscode.MarkdownString(`**${p.id}**${p.type === 'chat' ? ' · chat' : ''} · ${p.status}\n\n${p.description ?? ''}`);
        if (p.tags.length) tooltip.appendMarkdown(`\n\nTags: ${p.tags.map((t) => `\`${t}\``).join(' ')}`);
        item.tooltip = tooltip;
        item.iconPath = statusIcons[p.status] ?? statusIcons.active;
        item.contextValue = `prompt.${p.status}`;
        item.id = `prompt:${node.ref.host}/${node.ref.repo}/${p.id}`;
        item.command = { command: P.Commands.openPrompt, title: 'Open Prompt', arguments: [node] };
        return item;
      }
      case 'group': {
        const count = node.group === 'labels' ? node.prompt.labels.length : node.group === 'releases' ? node.prompt.releases.length : undefined;
        const item = new vscode.TreeItem(node.group[0].toUpperCase() + node.group.slice(1), count === 0 ? None : Collapsed);
        item.description = count === undefined ? undefined : String(count);
        item.iconPath = new vscode.ThemeIcon(node.group === 'labels' ? 'tag' : node.group === 'releases' ? 'package' : 'history');
        item.contextValue = `group.${node.group}`;
        item.id = `${node.group}:${node.ref.host}/${node.ref.repo}/${node.ref.id}`;
        return item;
      }
      case 'label': {
        const item = new vscode.TreeItem(node.label.name, None);
        const usage = this.usageOf(node.ref, node.label.sha);
        item.description = `→ ${node.label.release ?? node.label.sha.slice(0, 7)}${usage.description}`;
        item.tooltip = `${node.label.name} points at ${node.label.sha}${node.label.release ? ` (release ${node.label.release})` : ''}${usage.tooltip}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'label';
        item.command = { command: P.Commands.openPrompt, title: 'Open Prompt', arguments: [node] };
        return item;
      }
      case 'release': {
        const item = new vscode.TreeItem(node.release.version, None);
        const usage = this.usageOf(node.ref, node.release.sha);
        item.description = node.release.sha.slice(0, 7) + usage.description;
        item.tooltip = `Release ${node.release.version} of ${node.ref.id} (${node.release.sha})${usage.tooltip}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'release';
        item.command = { command: P.Commands.openPrompt, title: 'Open Prompt', arguments: [node] };
        return item;
      }
      case 'version': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.message.split('\n')[0] || e.sha.slice(0, 7), None);
        const usage = this.usageOf(node.ref, e.sha);
        item.description = [e.sha.slice(0, 7), e.release, ...e.labels].filter(Boolean).join(' · ') + usage.description;
        item.tooltip = new vscode.MarkdownString(`\`${e.sha}\`\n\n${e.message}\n\n${e.author} · ${new Date(e.date).toLocaleString()}${usage.tooltip}`);
        item.iconPath = new vscode.ThemeIcon('git-commit');
        item.contextValue = 'version';
        item.command = { command: P.Commands.openPrompt, title: 'Open Prompt', arguments: [node] };
        return item;
      }
    }
  }
}
