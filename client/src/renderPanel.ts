// The Render & Test panel. The webview only draws; this side asks the server to
// render (so the panel shows exactly what apps get), calls the LLM endpoint and
// records feedback as usage of the exact version that was run.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';
import { errorMessage } from './errors';
import { runChat, type ChatMessage, type RunResult } from './llm';
import { versionItems } from './pickers';
import type { ApiKeys } from './secrets';
import { recordUsage } from './usage';

export interface PanelTarget {
  ref: PromptRef;
  version?: string;
  params?: Record<string, unknown>;
}

interface Services {
  extensionUri: vscode.Uri;
  client: LanguageClient;
  keys: ApiKeys;
  log: vscode.LogOutputChannel;
}

interface Rendered {
  version: string;
  sha?: string;
  release?: string;
  params: P.ParamsSchema;
  text?: string;
  messages?: P.ChatMessage[];
  errors: string[];
}

type FromWebview =
  | { type: 'ready' }
  | { type: 'render'; seq: number; params: Record<string, unknown>; versions: string[] }
  | { type: 'run'; side: number; params: Record<string, unknown>; version: string }
  | { type: 'feedback'; side: number; value: number };

export class RenderPanels {
  private readonly open = new Map<string, RenderPanel>();

  constructor(private readonly services: Services) {}

  show(target: PanelTarget): void {
    const key = `${target.ref.host}/${target.ref.repo}/${target.ref.id}`;
    const existing = this.open.get(key);
    if (existing) return existing.reveal(target);
    const panel = new RenderPanel(this.services, target, () => this.open.delete(key));
    this.open.set(key, panel);
  }
}

class RenderPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly lastRender: (Rendered | undefined)[] = [];
  private readonly lastRun: ({ result: RunResult; render: Rendered } | undefined)[] = [];
  private runs: AbortController | undefined;

  constructor(private readonly s: Services, private target: PanelTarget, onClose: () => void) {
    const media = vscode.Uri.joinPath(s.extensionUri, 'client', 'media');
    const dist = vscode.Uri.joinPath(s.extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel('promptforge.renderAndTest', `Render & Test: ${target.ref.id}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [media, dist],
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'prompt-file.svg');
    this.panel.webview.html = this.html(media, dist);
    this.panel.webview.onDidReceiveMessage((m: FromWebview) => this.receive(m).catch((e) => s.log.error(`Render & Test: ${errorMessage(e)}`)));
    this.panel.onDidDispose(() => {
      this.runs?.abort();
      onClose();
    });
  }

  reveal(target: PanelTarget): void {
    this.target = target;
    this.panel.reveal();
    void this.init();
  }

  private post(message: unknown): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.init();
      case 'render':
        return this.render(m.seq, m.params, m.versions);
      case 'run':
        return this.run(m.side, m.params, m.version);
      case 'feedback':
        return this.feedback(m.side, m.value);
    }
  }

  private async init(): Promise<void> {
    const { ref } = this.target;
    const version = this.target.version ?? 'HEAD';
    const [items, first] = await Promise.all([versionItems(this.s.client, ref), this.renderOne(version, this.target.params ?? {})]);
    // One entry per spec (a label and its commit are both offered), shown without the quick pick's icons.
    const versions = [...new Map(items.filter((i) => i.version).map((i) => [i.version!.spec, { spec: i.version!.spec, label: i.label.replace(/^\$\([^)]*\)\s*/, ''), detail: i.description ?? '' }])).values()];
    if (!versions.some((v) => v.spec === version)) versions.unshift({ spec: version, label: version, detail: '' });
    this.post({
      type: 'init',
      title: ref.id,
      uri: `prompt://${ref.host}/${ref.repo}/${ref.id}`,
      versions,
      version,
      params: first.params ?? {},
      values: this.target.params ?? {},
      llm: this.llmState(),
    });
  }

  private llmState(): { enabled: boolean; reason?: string } {
    if (!vscode.workspace.isTrusted) return { enabled: false, reason: 'Run is off in an untrusted workspace.' };
    if (!vscode.workspace.getConfiguration('promptforge').get<string>('llm.endpoint')) {
      return { enabled: false, reason: 'To run prompts, set promptforge.llm.endpoint to an OpenAI-compatible API (and its key with Prompt Forge: Set API Key…).' };
    }
    return { enabled: true };
  }

  /** What one side of the panel shows: the server's render, or why there is none. */
  private async renderOne(version: string, params: Record<string, unknown>): Promise<Rendered> {
    try {
      const r = await this.s.client.sendRequest(P.RenderRequest, { target: { ...this.target.ref, version }, params });
      return { version, sha: r.sha, release: r.release, params: r.params, text: r.text, messages: r.messages, errors: r.problems.map((p) => p.message) };
    } catch (error) {
      return { version, params: this.lastRender[0]?.params ?? {}, errors: [errorMessage(error)] };
    }
  }

  private async render(seq: number, params: Record<string, unknown>, versions: string[]): Promise<void> {
    await Promise.all(
      versions.map(async (version, side) => {
        const result = await this.renderOne(version, params);
        this.lastRender[side] = result;
        this.post({ type: 'rendered', seq, side, result });
      }),
    );
  }

  private async run(side: number, params: Record<string, unknown>, version: string): Promise<void> {
    const state = this.llmState();
    if (!state.enabled) return this.post({ type: 'runError', side, message: state.reason });
    const rendered = await this.renderOne(version, params);
    if (rendered.errors.length || !rendered.sha) return this.post({ type: 'runError', side, message: rendered.errors.join('; ') || 'the prompt did not render' });
    const config = vscode.workspace.getConfiguration('promptforge');
    const messages: ChatMessage[] = rendered.messages ?? [{ role: 'user', content: rendered.text ?? '' }];
    this.runs ??= new AbortController();
    try {
      const result = await runChat({
        endpoint: config.get<string>('llm.endpoint')!,
        apiKey: await this.s.keys.llmKey(),
        model: config.get<string>('llm.model', 'gpt-4o-mini'),
        messages,
        signal: this.runs.signal,
        onText: (text) => this.post({ type: 'runChunk', side, text }),
      });
      this.lastRun[side] = { result, render: rendered };
      this.post({ type: 'runDone', side, metrics: { model: result.model, latencyMs: result.latencyMs, inputTokens: result.inputTokens, outputTokens: result.outputTokens } });
    } catch (error) {
      this.post({ type: 'runError', side, message: `Run failed: ${errorMessage(error)}` });
    }
  }

  private async feedback(side: number, value: number): Promise<void> {
    const run = this.lastRun[side];
    if (!run) return;
    const { ref } = this.target;
    try {
      await recordUsage(ref.host, await this.s.keys.hostKeys(), {
        repo: ref.repo,
        id: ref.id,
        sha: run.render.sha!,
        success: true,
        latencyMs: run.result.latencyMs,
        inputTokens: run.result.inputTokens,
        outputTokens: run.result.outputTokens,
        model: run.result.model,
        feedback: value,
        metadata: { source: 'vscode-render-and-test' },
        at: new Date().toISOString(),
      });
      this.post({ type: 'feedbackRecorded', side, message: `Feedback ${value > 0 ? '👍' : '👎'} recorded for ${run.render.release ?? run.render.sha!.slice(0, 7)}` });
    } catch (error) {
      this.post({ type: 'feedbackRecorded', side, message: `Feedback not recorded: ${errorMessage(error)}` });
    }
  }

  private html(media: vscode.Uri, dist: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const src = (base: vscode.Uri, file: string) => webview.asWebviewUri(vscode.Uri.joinPath(base, file)).toString();
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    const output = (side: number) => `
      <section class="output" id="output-${side}" ${side ? 'hidden' : ''}>
        <div class="heading"><span class="version" id="version-label-${side}"></span><span class="pinned" id="pinned-${side}"></span></div>
        <ul class="errors" id="errors-${side}"></ul>
        <div id="rendered-${side}"></div>
        <div class="run">
          <vscode-button id="run-${side}" icon="play" disabled>Run</vscode-button>
          <span class="metrics" id="metrics-${side}"></span>
          <span class="feedback" id="feedback-${side}" hidden></span>
        </div>
        <div class="completion" id="completion-${side}" hidden></div>
      </section>`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${src(dist, 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${src(media, 'panel.css')}">
  <script type="module" nonce="${nonce}" src="${src(dist, 'vscode-elements.js')}"></script>
  <title>Render &amp; Test</title>
</head>
<body>
  <header><h1 id="title"></h1><span class="uri" id="uri"></span></header>
  <div class="toolbar">
    <div class="field"><vscode-label for="version-a">Version</vscode-label><vscode-single-select id="version-a"></vscode-single-select></div>
    <vscode-checkbox id="compare" label="Compare with another version"></vscode-checkbox>
    <div class="field" id="version-b-field" hidden><vscode-label for="version-b">Second version</vscode-label><vscode-single-select id="version-b"></vscode-single-select></div>
  </div>
  <p class="notice" id="llm-note" hidden></p>
  <div class="layout">
    <section class="params"><h2>Parameters</h2><div id="params-form"></div></section>
    <section class="results"><h2>Rendered</h2><div class="outputs" id="outputs">${output(0)}${output(1)}</div></section>
  </div>
  <script nonce="${nonce}" src="${src(media, 'panel.js')}"></script>
</body>
</html>`;
  }
}
