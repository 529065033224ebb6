// The packaged extension in a real VS Code (code-server + Chromium), on the demo
// workspace, against a real forge serving the demo repository: what a user sees.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describeUsage } from '../../core/usageText';
import { PromptClient } from '../../sdk';
import { LlmStub, type StubRequest } from '../fixtures/llm-stub';
import { ensureCodeServer } from './harness/codeServer';
import { Forge } from './harness/forge';
import { Workbench } from './harness/workbench';

const root = resolve(__dirname, '../..');
/** Screenshots for docs/vscode.md are refreshed when this is set. */
const docImages = process.env.PROMPTFORGE_DOC_SCREENSHOTS ? join(root, 'docs/images') : undefined;

interface PromptSummary {
  id: string;
  labels: Record<string, string> | { name: string; sha: string }[];
}

/** The SHA a label points at, as the forge API reports it. */
async function labelSha(forge: Forge, id: string, label: string): Promise<string | undefined> {
  const body = await forge.get<{ prompts: PromptSummary[] }>('/api/v1/repos/demo/prompts');
  const labels = body.prompts.find((p) => p.id === id)?.labels;
  if (Array.isArray(labels)) return labels.find((l) => l.name === label)?.sha;
  return labels?.[label];
}

/** Polls `check` until it holds or the deadline passes (the forge answers in milliseconds). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The stub model's review: a shorter opening line for whatever file it was sent. */
function reviewAnswer(request: StubRequest): string {
  const user = request.messages.at(-1)!.content!;
  const { source } = JSON.parse(user.slice(user.indexOf('{'), user.lastIndexOf('}') + 1)) as { source: string };
  const lines = source.split('\n');
  // The template's first line, right after the front matter's closing ---.
  lines[lines.indexOf('---', 1) + 1] = 'Welcome, {{user_name}}. Let us get you started.';
  return JSON.stringify({
    summary: 'The opening is long; users rate short greetings higher.',
    suggestions: [{ title: 'Open with one short sentence', detail: 'Thumbs-down answers start with a long paragraph.' }],
    revised: lines.join('\n'),
  });
}

describe('VS Code extension (real VS Code)', function () {
  this.timeout(90_000);
  let tmp: string;
  let forge: Forge;
  let llm: LlmStub;
  let wb: Workbench;

  before(async function () {
    // A cold machine installs code-server once (minutes); later runs find it cached.
    this.timeout(20 * 60_000);
    ensureCodeServer();
    tmp = mkdtempSync(join(tmpdir(), 'pf-e2e-'));
    const vsix = join(tmp, 'promptforge.vsix');
    execFileSync(process.execPath, [join(root, 'scripts/package.mjs'), '--out', vsix], { cwd: root, stdio: 'pipe' });
    llm = await LlmStub.start({ reply: (request) => (request.messages[0]?.content?.startsWith('You review prompt templates') ? reviewAnswer(request) : 'Welcome aboard, Globex!') });
    forge = await Forge.demo(tmp, { llmUrl: llm.url });
    const workspace = join(tmp, 'workspace');
    cpSync(join(root, 'examples/workspace'), workspace, { recursive: true });
    // The demo's URIs name host localhost:7070; here it maps to this run's forge.
    writeFileSync(
      join(workspace, '.vscode/settings.json'),
      JSON.stringify(
        {
          'promptforge.hosts': { 'localhost:7070': { url: forge.url } },
          'promptforge.defaultHost': 'localhost:7070',
          'promptforge.defaultRepo': 'demo',
          'promptforge.defaultVersion': 'production',
          'promptforge.sdkCallPatterns': ['loadPrompt'],
        },
        null,
        2,
      ),
    );
    // The demo app's `promptforge/sdk` import resolves to this build's SDK types.
    const compilerOptions = { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, paths: { 'promptforge/sdk': [join(root, 'dist/sdk/index.d.ts')] } };
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    wb = await Workbench.launch({
      vsix,
      folder: workspace,
      userSettings: { 'promptforge.llm.endpoint': llm.url, 'promptforge.llm.model': 'stub-model', 'git.openRepositoryInParentFolders': 'never' },
    });
    // Opening a TypeScript file activates the extension; the status bar says when the forge is indexed.
    await wb.activateWith('src/onboarding.ts');
    await wb.forgeConnected();
    await wb.closeEditors();
  });

  // Each test opens what it needs; nothing it leaves open or unsaved reaches the next one.
  afterEach(async function () {
    if (!wb) return;
    if (this.currentTest?.state === 'failed') {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await wb.screenshot(join(root, 'test-results', `e2e-${name}.png`)).catch(() => undefined);
    }
    await wb.closeEditors();
  });

  after(async () => {
    await wb?.close();
    await Promise.all([forge?.stop(), llm?.close()]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const docShot = async (file: string, locator?: Parameters<Workbench['screenshot']>[1]) => {
    if (docImages) await wb.screenshot(join(docImages, file), locator);
  };

  it('shows the rendered prompt when hovering a prompt URI', async () => {
    await wb.openFile('src/onboarding.ts');
    // The URI's params (app_name=Acme, tier=premium, user_name=Ada) rendered into the template.
    const hover = await wb.hoverUntil('demo/welc', /Welcome to Acme, Ada!/);
    assert.match(await hover.innerText(), /premium plan/);
    await docShot('hover.png');
  });

  it('completes prompt ids, then versions', async () => {
    await wb.openFile('src/onboarding.ts');
    await wb.typeAtEnd(`\nconst probe = 'prompt://localhost:7070/demo/`);
    const suggest = await wb.suggestions(['welcome', 'support-chat']);
    await docShot('completion-ids.png');
    await wb.page.keyboard.type('welcome/');
    await wb.suggestions(['production', 'staging']);
    assert.ok(await suggest.isVisible());
    await docShot('completion-versions.png');
  });

  it('flags a URI missing a required param and fixes it with the quick fix', async () => {
    await wb.openFile('app/support.py');
    await wb.command('workbench.panel.markers.view.focus');
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'app_name' }).first().waitFor();
    await wb.putCursorAfter('welcome/stag');
    // Not awaited first: the command may settle only once the menu it shows is closed.
    const quickFix = wb.command('editor.action.quickFix');
    const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'app_name' }).first();
    await fix.waitFor();
    await docShot('quick-fix.png');
    // The menu's first fix is focused; Enter applies it as a keyboard user would.
    await wb.page.locator('.action-widget .monaco-list-row.focused', { hasText: 'app_name' }).waitFor();
    await wb.page.keyboard.press('Enter');
    await quickFix;
    await wb.editorLines().filter({ hasText: 'app_name=' }).first().waitFor();
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'support.py' }).waitFor({ state: 'detached' });
  });

  it('lists hosts, repos and prompts in the Prompt Forge view', async () => {
    await wb.showForgeView();
    for (const name of ['localhost:7070', 'demo', 'welcome', 'support-chat']) await wb.treeRow(name).waitFor();
    await wb.expandTreeRow('welcome');
    await wb.expandTreeRow('Labels');
    await wb.treeRow('production').waitFor();
    await docShot('tree.png');
  });

  it('opens the diff editor comparing a prompt with production', async () => {
    await wb.showForgeView();
    await wb.treeMenu('welcome', 'Compare with Production');
    await wb.page.locator('.tab.active', { hasText: 'production ↔ HEAD' }).waitFor();
    // Both sides hold the prompt; the changed opening line is marked on each.
    const diff = wb.page.locator('.monaco-diff-editor').first();
    await diff.locator('.editor.original .view-line', { hasText: 'Start with the quick tour' }).waitFor();
    await diff.locator('.editor.modified .view-line', { hasText: 'The quick tour shows' }).waitFor();
    await diff.locator('.editor.modified .line-insert, .editor.modified .char-insert').first().waitFor();
    // Only our language service speaks about .prompt documents (VS Code's chat-prompt parser once did).
    assert.equal(await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'Unexpected token' }).count(), 0);
    await docShot('diff.png');
  });

  it('promotes a version to a label, as the forge API confirms', async () => {
    const staging = await labelSha(forge, 'welcome', 'staging');
    const before = await labelSha(forge, 'welcome', 'production');
    assert.ok(staging && before && staging !== before, 'the demo has production and staging on different versions');
    await wb.showForgeView();
    await wb.treeMenu('welcome', 'Promote Version…');
    await wb.quickPickRow('staging').click();
    await wb.quickPickRow('production').click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.getByText(/Move production of welcome/).waitFor();
    await docShot('promote-confirm.png');
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await eventually(async () => ((await labelSha(forge, 'welcome', 'production')) === staging ? true : undefined), 'production to move to staging');
    await wb.page.locator('.notifications-toasts', { hasText: `production of welcome now points at ${staging.slice(0, 7)}` }).waitFor();
  });

  it('renders with params in the Render & Test panel, runs it and records feedback', async () => {
    await wb.openFile('src/onboarding.ts');
    await wb.putCursorAfter('demo/welc');
    // With the cursor on a prompt URI, Render & Test opens that prompt with the URI's params.
    await wb.command('promptforge.renderAndTest');
    const panel: FrameLocator = await wb.webview('Render & Test: welcome');
    await panel.locator('#rendered-0', { hasText: 'Acme' }).waitFor();
    await panel.locator('#param-app_name input').fill('Globex');
    await panel.locator('#rendered-0', { hasText: 'Globex' }).waitFor();
    await panel.locator('#param-app_name input').fill('');
    await panel.locator('#errors-0', { hasText: 'app_name' }).waitFor();
    await panel.locator('#param-app_name input').fill('Globex');
    await panel.locator('#run-0:not([disabled])').click();
    await panel.locator('#completion-0', { hasText: 'Welcome aboard, Globex!' }).waitFor();
    await panel.locator('#metrics-0', { hasText: /stub-model · \d+ ms · \d+ in \/ \d+ out tokens/ }).waitFor();
    assert.match(llm.requests.at(-1)!.body.messages.map((m) => m.content).join('\n'), /Globex/);
    await docShot('render-and-test.png');
    await panel.locator('#feedback-0 [data-feedback="1"]').click();
    await panel.locator('#feedback-0', { hasText: 'recorded' }).waitFor();
    const usage = await forge.get<{ versions: { sha: string; feedback: number | null; calls: number }[] }>('/api/v1/repos/demo/prompts/welcome/usage');
    assert.ok(usage.versions.some((v) => v.calls >= 1 && (v.feedback ?? 0) > 0), `usage records the thumbs up: ${JSON.stringify(usage)}`);
  });

  it("shows each version's calls and success rate in the tree and in Render & Test, side by side", async () => {
    const production = (await labelSha(forge, 'welcome', 'production'))!;
    // An app reports how its calls went through the SDK.
    const app = new PromptClient({ hosts: { 'localhost:7070': { url: forge.url } }, liveUpdates: false });
    for (const [i, success] of [true, true, true, false].entries()) {
      const prompt = await app.get('prompt://localhost:7070/demo/welcome/production', { app_name: 'Acme' });
      app.recordUsage(prompt.trackingId, { success, latencyMs: 300 + 100 * i });
    }
    await app.close();
    const usage = await forge.get<{ versions: { sha: string; calls: number; successRate: number | null }[] }>('/api/v1/repos/demo/prompts/welcome/usage');
    const metrics = usage.versions.find((v) => v.sha === production)!;
    await wb.showForgeView();
    await wb.command('promptforge.refresh');
    await wb.expandTreeRow('welcome');
    await wb.expandTreeRow('Labels');
    await wb.treeRow('production').locator('.label-description', { hasText: describeUsage(metrics) }).waitFor();
    await docShot('tree-usage.png');

    await wb.treeMenu('production', 'Render & Test');
    const panel = await wb.webview('Render & Test: welcome');
    await panel.locator('#usage-chart svg circle').first().waitFor();
    await panel.locator('#usage-legend', { hasText: `${metrics.calls} calls` }).waitFor();
    const callsRow = panel.locator('#usage-table tbody tr', { hasText: 'Calls' });
    await callsRow.locator('td').first().filter({ hasText: new RegExp(`^${metrics.calls}$`) }).waitFor();
    await panel.locator('#compare').click();
    await panel.locator('#usage-table thead th', { hasText: 'Change' }).waitFor();
    await panel.locator('#usage-table tbody tr', { hasText: 'Success rate' }).locator('td').nth(2).filter({ hasText: /pts|^$/ }).waitFor();
    await docShot('render-and-test-usage.png', panel.locator('section.usage'));
  });

  it('reviews a version with the LLM and applies the suggestion as a draft on its own branch', async () => {
    const defaultBranchBefore = forge.git('rev-parse', 'HEAD');
    const labelsBefore = forge.git('for-each-ref', 'refs/labels');
    await wb.command('promptforge.renderAndTest', { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: 'production' });
    const panel = await wb.webview('Render & Test: welcome');
    await panel.locator('#review-instruction input').fill('a shorter opening');
    await panel.locator('#review-run').click();
    await panel.locator('#review-summary', { hasText: 'The opening is long' }).waitFor();
    await panel.locator('#review-suggestions li', { hasText: 'Open with one short sentence' }).waitFor();
    await panel.locator('#review-diff .added', { hasText: 'Let us get you started.' }).waitFor();
    assert.match(llm.requests.at(-1)!.body.messages.at(-1)!.content!, /a shorter opening/);
    await docShot('review.png', panel.locator('section.review'));

    await panel.locator('#review-apply').click();
    await panel.locator('#review-status', { hasText: /Committed as [0-9a-f]{7} on review\/welcome-\d{8}/ }).waitFor();
    const branch = forge.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/review/');
    assert.match(branch, /^review\/welcome-\d{8}$/);
    assert.match(forge.git('show', `${branch}:welcome.prompt`), /^Welcome, \{\{user_name\}\}\. Let us get you started\.$/m);
    assert.equal(forge.git('rev-parse', 'HEAD'), defaultBranchBefore, 'the default branch stays where it was');
    assert.equal(forge.git('for-each-ref', 'refs/labels'), labelsBefore, 'no label moved');
    await wb.page.locator('.notifications-toasts', { hasText: `Review draft of welcome committed on ${branch}` }).waitFor();
  });

  it('commits an edited prompt as a new version when saved, asking for a message', async () => {
    await wb.showForgeView();
    await wb.treeMenu('summarize-ticket', 'Edit Prompt');
    await wb.page.locator('.tab.active', { hasText: 'summarize-ticket.prompt' }).waitFor();
    await wb.typeAtEnd('Mention the customer tier when it is known.');
    // Saving asks for a commit message; the save resolves once the commit is made.
    const saved = wb.command('workbench.action.files.save');
    await wb.quickInput().waitFor();
    await wb.quickInput().fill('Summaries mention the tier');
    await wb.page.keyboard.press('Enter');
    await saved;
    await wb.page.locator('.notifications-toasts', { hasText: /Committed summarize-ticket as [0-9a-f]{7}/ }).waitFor();
    const { versions } = await forge.get<{ versions: { message: string }[] }>('/api/v1/repos/demo/prompts/summarize-ticket/versions');
    assert.equal(versions[0].message, 'Summaries mention the tier');
    await wb.page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  });
});

describe('VS Code extension with no forge configured (real VS Code)', function () {
  this.timeout(90_000);
  let tmp: string;
  let wb: Workbench;

  before(async function () {
    this.timeout(20 * 60_000);
    ensureCodeServer();
    tmp = mkdtempSync(join(tmpdir(), 'pf-e2e-empty-'));
    const vsix = join(tmp, 'promptforge.vsix');
    execFileSync(process.execPath, [join(root, 'scripts/package.mjs'), '--out', vsix], { cwd: root, stdio: 'pipe' });
    const folder = join(tmp, 'app');
    mkdirSync(folder);
    writeFileSync(join(folder, 'main.py'), 'PROMPT = "prompt://forge.example/demo/welcome"\n');
    wb = await Workbench.launch({ vsix, folder, userSettings: { 'git.openRepositoryInParentFolders': 'never' } });
  });

  after(async () => {
    await wb?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('offers to open the demo or add a host', async () => {
    await wb.activateWith('main.py');
    await wb.showForgeView();
    const welcome = wb.page.locator('.part.sidebar .welcome-view-content');
    await welcome.getByText('No forge is configured for this workspace.').waitFor();
    await welcome.getByRole('button', { name: 'Open Demo' }).waitFor();
    await welcome.getByRole('button', { name: 'Add Host' }).click();
    await wb.page.locator('.quick-input-widget', { hasText: 'Add Host (1/2)' }).waitFor();
    await wb.page.keyboard.press('Escape');
  });
});
