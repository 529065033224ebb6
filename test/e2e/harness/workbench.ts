// A real VS Code (code-server) with the packaged extension installed, shown in
// Debian's Chromium and driven through playwright-core the way a user would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { TestBridge } from './bridge';
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
    private readonly bridge: TestBridge,
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
    const bridge = await TestBridge.listen();
    const env = { ...process.env, PROMPTFORGE_TEST_BRIDGE: bridge.address, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
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
    return new Workbench(page, browser, server, home, bridge);
  }

  /** What code-server printed, for failure messages. */
  serverOutput(): string {
    return this.server.output();
  }

  async close(): Promise<void> {
    this.bridge.close();
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  /**
   * Runs a VS Code command in the extension host and resolves with its result, once the
   * command's own promise settles: the way to drive the product without racing the UI.
   */
  command<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
    return this.bridge.command<T>(id, ...args);
  }

  /**
   * Opens `relativePath` through Quick Open, as a user does, which activates the extension
   * for its language; resolves once the extension is active (it connects to the test bridge).
   */
  async activateWith(relativePath: string): Promise<void> {
    const input = await this.openQuickInput(isMac ? 'Meta+P' : 'Control+P');
    await input.fill(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: relativePath.split('/').pop()! }).first().click();
    await this.bridge.connected();
    await this.openFile(relativePath);
  }

  /** Reverts and closes every editor and the panel and clears notifications, so a test starts from nothing open. */
  async closeEditors(): Promise<void> {
    await this.command('promptforge.test.closeEditors');
    await this.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
    await this.page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'detached' });
  }

  /** Runs a command from the palette by its title, e.g. `Prompt Forge: Refresh`. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill('>' + title);
    await this.quickPickRow(title).click();
  }

  /** Opens a workspace file in the first editor group; resolves once the workbench shows it. */
  async openFile(relativePath: string): Promise<void> {
    await this.command('promptforge.test.openFile', relativePath);
    await this.page.locator(`.editor-group-container.active .tab.active[data-resource-name="${relativePath.split('/').pop()}"]`).waitFor();
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
   * Shows the hover at the end of `text` (Show or Focus Hover) until it holds `expected`.
   * A remote prompt's first hover says `Rendering…` while the server fetches the render
   * and shows it on the next hover: that is the one state on which the hover is asked again.
   */
  async hoverUntil(text: string, expected: RegExp, timeoutMs = 60_000): Promise<Locator> {
    const shown = this.page.locator('.monaco-hover-content:visible').first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.putCursorAfter(text);
      await this.command('editor.action.showHover');
      const done = this.page.locator('.monaco-hover-content:visible', { hasText: expected }).first();
      const rendering = this.page.locator('.monaco-hover-content:visible', { hasText: 'Rendering…' }).first();
      await done.or(rendering).waitFor();
      if (await done.isVisible()) return shown;
      if (Date.now() > deadline) throw new Error(`the hover never showed ${expected}; it last showed:\n${await shown.innerText()}`);
      await this.page.keyboard.press('Escape');
      await shown.waitFor({ state: 'detached' });
    }
  }

  /** Waits until the status bar says every forge is connected (the server has indexed them). */
  async forgeConnected(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.statusbar-item', { hasText: 'Prompt Forge', has: this.page.locator('.codicon-check') }).first().waitFor({ timeout: timeoutMs });
  }

  /** Types `text` at the end of the active editor. */
  async typeAtEnd(text: string): Promise<void> {
    await this.command('promptforge.test.putCursor', { end: true });
    await this.editorFocused();
    await this.page.keyboard.type(text);
  }

  /** Asks for suggestions at the cursor (Trigger Suggest) and waits until the widget lists every one of `labels`. */
  async suggestions(labels: string[]): Promise<Locator> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    await this.command('editor.action.triggerSuggest');
    for (const label of labels) await widget.locator('.monaco-list-row', { hasText: label }).first().waitFor();
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

  /** Places the cursor right after the first `text` in the active editor, which has the keyboard focus. */
  async putCursorAfter(text: string): Promise<void> {
    await this.command('promptforge.test.putCursor', { after: text });
    await this.editorFocused();
  }

  /** The active editor has the keyboard focus (the workbench marks it `focused`). */
  async editorFocused(): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor();
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
