// A real VS Code (code-server) with the packaged extension installed, shown in
// Debian's Chromium and driven through playwright-core the way a user would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { chromiumPath, ensureCodeServer } from './codeServer';
import { startProcess, type Started } from './processes';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const isMac = process.platform === 'darwin';
/** Matches exactly `text` (a label or a token), not a longer one containing it. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

export interface WorkbenchOptions {
  vsix: string;
  folder: string;
  /** User settings merged over the quiet defaults. */
  userSettings?: Record<string, unknown>;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: Started,
    private readonly home: string,
  ) {}

  static async launch(options: WorkbenchOptions): Promise<Workbench> {
    const entry = ensureCodeServer();
    const home = mkdtempSync(join(tmpdir(), 'pf-vscode-'));
    const userData = join(home, 'user-data');
    const extensions = join(home, 'extensions');
    const settings = {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'editor.hover.delay': 100,
      'editor.quickSuggestionsDelay': 0,
      'window.commandCenter': false,
      'chat.commandCenter.enabled': false,
      ...options.userSettings,
    };
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    const env = { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    execFileSync(process.execPath, [entry, ...common, '--install-extension', options.vsix], { env, stdio: 'pipe' });
    const server = await startProcess(
      process.execPath,
      [entry, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ...common, options.folder],
      /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//,
      { env, cwd: dirname(entry) },
    );
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    await page.goto(`${server.ready[1]}/?folder=${encodeURIComponent(options.folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(page, browser, server, home);
  }

  /** What code-server printed, for failure messages. */
  serverOutput(): string {
    return this.server.output();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  /** Runs a command from the palette by its title, e.g. `Prompt Forge: Refresh`. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill('>' + title);
    await this.quickPickRow(title).click();
  }

  /** Opens a workspace file by path through Quick Open. */
  async openFile(relativePath: string): Promise<void> {
    const input = await this.openQuickInput(isMac ? 'Meta+P' : 'Control+P');
    await input.fill(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: relativePath.split('/').pop()! }).first().click();
    await this.page.locator(`.tab.active[data-resource-name="${relativePath.split('/').pop()}"]`).waitFor();
    await this.editorLines().first().waitFor();
  }

  editorLines(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
  }

  /** The span (token) in the active editor that holds `text`. */
  token(text: string): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines span span', { hasText: text }).first();
  }

  /** The editor token whose whole text is `text`. */
  exactToken(text: string): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines span span', { hasText: exactly(text) }).first();
  }

  /**
   * Shows the hover at the end of `text` (Show or Focus Hover, Ctrl+K Ctrl+I) until it
   * holds `expected`: the server may still be rendering the first time it is asked.
   */
  async hoverUntil(text: string, expected: RegExp, timeoutMs = 30_000): Promise<Locator> {
    const shown = this.page.locator('.monaco-hover-content:visible').first();
    const deadline = Date.now() + timeoutMs;
    let seen = '(no hover)';
    await this.putCursorAfter(text);
    for (;;) {
      await this.page.keyboard.press('Control+K');
      await this.page.keyboard.press('Control+I');
      try {
        await shown.waitFor({ timeout: 5_000 });
        await this.page.locator('.monaco-hover-content:visible', { hasText: expected }).first().waitFor({ timeout: 1_000 });
        return shown;
      } catch {
        seen = (await shown.innerText().catch(() => seen)) || seen;
        if (Date.now() > deadline) throw new Error(`the hover never showed ${expected}; it last showed:\n${seen}`);
        await this.page.keyboard.press('Escape');
        await shown.waitFor({ state: 'detached' });
      }
    }
  }

  /** Waits until the status bar says every forge is connected (the server has indexed them). */
  async forgeConnected(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.statusbar-item', { hasText: 'Prompt Forge', has: this.page.locator('.codicon-check') }).first().waitFor({ timeout: timeoutMs });
  }

  /** Types `text` at the end of the active editor. */
  async typeAtEnd(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
  }

  /** Waits for the suggest widget to list every one of `labels` (asking for it if it did not open by itself). */
  async suggestions(labels: string[]): Promise<Locator> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    const rows = (label: string) => widget.locator('.monaco-list-row', { hasText: label }).first();
    try {
      await rows(labels[0]).waitFor({ timeout: 5_000 });
    } catch {
      await this.page.keyboard.press('Control+Space');
      await rows(labels[0]).waitFor();
    }
    for (const label of labels.slice(1)) await rows(label).waitFor();
    return widget;
  }

  /** Opens the Prompt Forge view from the activity bar. */
  async showForgeView(): Promise<void> {
    const view = this.page.locator('.part.sidebar .title-label', { hasText: /Prompt Forge/i });
    if (await view.isVisible()) return;
    await this.page.locator('.activitybar .action-item a[aria-label^="Prompt Forge"]').click();
    await view.waitFor();
  }

  treeRow(label: string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }

  /** Expands a tree row without running its command (a click would open the prompt). */
  async expandTreeRow(label: string): Promise<void> {
    const row = this.treeRow(label);
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.locator('.monaco-tl-twistie').click();
    await this.page.locator(`.part.sidebar .monaco-list-row[aria-expanded="true"]`, { has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first().waitFor();
  }

  /** Runs `item` from the context menu of the tree row `label`. */
  async treeMenu(label: string, item: string): Promise<void> {
    await this.treeRow(label).click({ button: 'right' });
    // Hover focuses the entry and Enter runs it: a click can land while the menu is still
    // animating in, and then nothing happens.
    await this.page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first().hover();
    await this.page.locator('.context-view .monaco-menu .action-item.focused', { hasText: item }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' });
  }

  /** The content of the newest webview panel (its tab titled `title`). */
  async webview(title: string): Promise<FrameLocator> {
    await this.page.locator('.tab.active', { hasText: title }).waitFor();
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /** Places the cursor right after `text` in the active editor (searching with Find). */
  async putCursorAfter(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+F');
    const find = this.page.locator('.find-widget .input').first();
    await find.fill(text);
    await this.page.locator('.find-widget .matchesCount', { hasNotText: 'No results' }).waitFor();
    await this.page.keyboard.press('Escape');
    // Find selects the match; moving right collapses the selection to its end.
    await this.page.keyboard.press('ArrowRight');
  }

  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ position: { x: 2, y: 2 } });
  }

  quickPickRow(text: string): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  private async openQuickInput(key: string): Promise<Locator> {
    await this.page.keyboard.press(key);
    const input = this.quickInput();
    await input.waitFor();
    return input;
  }

  /** Saves a screenshot to `path` (creating its folder). */
  async screenshot(path: string, locator?: Locator): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    // Finished animations: a hover caught fading in looks translucent.
    if (locator) await locator.screenshot({ path, animations: 'disabled' });
    else await this.page.screenshot({ path, animations: 'disabled' });
  }
}
