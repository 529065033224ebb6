// One status bar item for the forges: connected, offline with stale data, or error,
// from `promptforge/hostStatus` and kept current by `promptforge/hostState`.
import * as vscode from 'vscode';
import * as P from '../../server/src/protocol';

/** Shows each host's state; the status bar item's click. */
export const SHOW_STATUS = 'promptforge.showStatus';

const offline = (s: P.HostState) => s === 'stale' || s === 'unreachable';

export class ForgeStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptforge.status', vscode.StatusBarAlignment.Left, 10);
  private states = new Map<string, P.HostStatus>();

  constructor() {
    this.item.name = 'Prompt Forge';
    this.item.command = SHOW_STATUS;
    this.item.text = '$(sync~spin) Prompt Forge';
    this.item.tooltip = 'Prompt Forge: loading prompts…';
    this.item.show();
  }

  hosts(): P.HostStatus[] {
    return [...this.states.values()];
  }

  replaceAll(hosts: P.HostStatus[]): void {
    this.states = new Map(hosts.map((h) => [h.name, h]));
    this.draw();
  }

  private draw(): void {
    const hosts = this.hosts();
    const errors = hosts.filter((h) => h.state === 'error');
    const away = hosts.filter((h) => offline(h.state));
    if (hosts.length === 0) {
      this.item.text = '$(circle-slash) Prompt Forge';
      this.item.backgroundColor = undefined;
    } else if (errors.length) {
      this.item.text = `$(error) Prompt Forge: ${errors.map((h) => h.name).join(', ')}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (away.length) {
      this.item.text = '$(debug-disconnect) Prompt Forge: offline (stale)';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (hosts.some((h) => h.state === 'loading')) {
      this.item.text = '$(sync~spin) Prompt Forge';
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(check) Prompt Forge';
      this.item.backgroundColor = undefined;
    }
    const tooltip = new vscode.MarkdownString('**Prompt Forge**\n\n');
    if (hosts.length === 0) tooltip.appendMarkdown('No forge configured.');
    for (const h of hosts) tooltip.appendMarkdown(`- \`${h.name}\`: ${describe(h)}\n`);
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function describe(h: P.HostStatus): string {
  const synced = h.syncedAt ? ` (data from ${new Date(h.syncedAt).toLocaleTimeString()})` : '';
  const why = h.message ? ` — ${h.message}` : '';
  switch (h.state) {
    case 'connected':
      return `connected · ${h.repos} repos · ${h.prompts} prompts`;
    case 'loading':
      return 'loading…';
    case 'stale':
    case 'unreachable':
      return `offline, showing stale data${synced}${why}`;
    case 'error':
      return `error${why}`;
  }
}

export function stateIcon(state: P.HostState): string {
  return state === 'connected' ? '$(check)' : state === 'loading' ? '$(sync~spin)' : offline(state) ? '$(debug-disconnect)' : '$(error)';
}
