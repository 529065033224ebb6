// The Render & Test panel. The webview only draws; this side asks the server to
// render (so the panel shows exactly what apps get), calls the LLM endpoint, records
// feedback as usage of the exact version that was run, shows usage metrics and runs
// reviews.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatPromptUri } from '../../core/uri';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';
import { errorMessage } from './errors';
import { runChat, type ChatMessage, type RunResult } from './llm';
import { PanelUsage, type ShownVersion, type UsageWindow } from './panelUsage';
import { versionItems } from './pickers';
import { renderPanelHtml } from './renderPanelHtml';
import { applyReview, openReviewDiff, requestReview } from './review';
import type { ApiKeys } from './secrets';
import { recordUsage, type UsageCache } from './usage';

export interface PanelTarget {
  ref: PromptRef;
  version?: string;
  params?: Record<string, unknown>;
  /** Start a review of the version as soon as the panel is ready. */
  review?: { instruction?: string };
}

interface Services {
  extensionUri: vscode.Uri;
  client: LanguageClient;
  keys: ApiKeys;
  usage: UsageCache;
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
  | { type: 'feedback'; side: number; value: number }
  | { type: 'usageWindow'; window: UsageWindow }
  | { type: 'review'; version: string; instruction: string }
  | { type: 'openReviewDiff' }
  | { type: 'applyReview' };

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
  private readonly usage: PanelUsage;
  private shown: ShownVersion[] = [];
  private review: P.Review | undefined;

  constructor(private readonly s: Services, private target: PanelTarget, onClose: () => void) {
    this.usage = new PanelUsage(s.client, target.ref);
    const media = vscode.Uri.joinPath(s.extensionUri, 'client', 'media');
    const dist = vscode.Uri.joinPath(s.extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel('promptforge.renderAndTest', `Render & Test: ${target.ref.id}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [media, dist],
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'prompt-file.svg');
    this.panel.webview.html = renderPanelHtml(this.panel.webview, media, dist);
    this.panel.webview.onDidReceiveMessage((m: FromWebview) => this.receive(m).catch((e) => s.log.error(`Render & Test: ${errorMessage(e)}`)));
    this.panel.onDidDispose(() => {
      this.runs?.abort();
      onClose();
    });
  }

  reveal(target: PanelTarget): void {
    this.target = target;
    // Shown again: fresh numbers with the next render.
    this.usage.invalidate();
    this.shown = [];
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
      case 'usageWindow':
        this.usage.setWindow(m.window);
        return this.showUsage();
      case 'review':
        return this.startReview(m.version, m.instruction);
      case 'openReviewDiff':
        return this.review && openReviewDiff(this.target.ref, this.review);
      case 'applyReview':
        return this.applyReview();
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
      uri: formatPromptUri({ host: ref.host, repo: ref.repo, id: ref.id, params: {} }),
      versions,
      version,
      params: first.params ?? {},
      values: this.target.params ?? {},
      llm: this.llmState(),
    });
    if (this.target.review) {
      const { instruction } = this.target.review;
      this.target = { ...this.target, review: undefined };
      await this.startReview(version, instruction ?? '');
    }
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
    const results = await Promise.all(
      versions.map(async (version, side) => {
        const result = await this.renderOne(version, params);
        this.lastRender[side] = result;
        this.post({ type: 'rendered', seq, side, result });
        return result;
      }),
    );
    const shown = results.map((r) => ({ spec: r.version, sha: r.sha }));
    // Params change on every keystroke; the usage table only when the versions do.
    if (JSON.stringify(shown) !== JSON.stringify(this.shown)) {
      this.shown = shown;
      await this.showUsage();
    }
  }

  private async showUsage(): Promise<void> {
    this.post(await this.usage.view(this.shown));
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
      this.usage.invalidate();
      this.s.usage.forget(ref);
      await this.showUsage();
    } catch (error) {
      this.post({ type: 'feedbackRecorded', side, message: `Feedback not recorded: ${errorMessage(error)}` });
    }
  }

  private async startReview(version: string, instruction: string): Promise<void> {
    this.review = undefined;
    this.post({ type: 'reviewStarted', version });
    try {
      this.review = await requestReview(this.s.client, this.s.keys, this.target.ref, version, instruction);
      const { summary, suggestions, problems, diff, model, samples, sha, revised } = this.review;
      this.post({ type: 'review', result: { summary, suggestions, problems, diff, model, samples, sha, version, changed: revised !== null } });
    } catch (error) {
      this.post({ type: 'reviewError', message: `Review failed: ${errorMessage(error)}` });
    }
  }

  private async applyReview(): Promise<void> {
    const review = this.review;
    if (!review || review.revised === null) return;
    if (!vscode.workspace.isTrusted) return this.post({ type: 'reviewApplied', message: 'Applying is off in an untrusted workspace.' });
    const { ref } = this.target;
    try {
      const draft = await applyReview(this.s.client, ref, review);
      const branchSpec = `${draft.branch}/HEAD`;
      this.post({ type: 'reviewApplied', branch: draft.branch, message: `Committed as ${draft.sha.slice(0, 7)} on ${draft.branch}. The default branch and labels are unchanged.` });
      const render = 'Render the Draft';
      const choice = await vscode.window.showInformationMessage(`Review draft of ${ref.id} committed on ${draft.branch} (${draft.sha.slice(0, 7)}).`, render);
      if (choice === render) this.reveal({ ref, version: branchSpec });
    } catch (error) {
      this.post({ type: 'reviewApplied', message: `Not applied: ${errorMessage(error)}` });
    }
  }
}
