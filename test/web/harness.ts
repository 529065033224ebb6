/**
 * The web console in a real Chromium (Debian's, driven by playwright-core, launched like
 * the VS Code e2e suite): a real forge process on a copy of the demo repository, with API
 * keys, and a browser with a fresh profile. Tests wait on what the page exposes
 * (`data-page`/`data-state` and other data attributes, ARIA), never on time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hashKey } from '../../forge/auth';
import { CHROMIUM_ARGS } from '../e2e/harness/workbench';
import { chromiumPath } from '../e2e/harness/codeServer';
import { makeDemo, startForge, tempDir, type ForgeProcess } from '../forge/apiServer';

export const KEYS = { admin: 'pf_admin-key-for-the-console-tests', reader: 'pf_reader-key-for-the-console-tests', approver: 'pf_approver-key-for-the-console-tests', markup: 'pf_markup-key-for-the-console-tests' };
/** The name of the `markup` key: it becomes the author of what that key writes. */
export const MARKUP = '<img src=x onerror=alert(1)>';

export interface Console {
  forge: ForgeProcess;
  repo: string;
  browser: Browser;
  /** Content-Security-Policy violations and page errors seen so far. */
  problems: string[];
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** A fresh page signed in with `key`, showing the catalog. */
  signedIn(key?: string): Promise<Page>;
  git(...args: string[]): string;
  /** An API call with a key (as the CLI or VS Code would make it, not the browser). */
  apiCall(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startConsole(prepare?: (repo: string) => void): Promise<Console> {
  const temp = tempDir('pf-web-');
  const repo = makeDemo(temp.dir);
  prepare?.(repo);
  const config = join(temp.dir, 'forge.yaml');
  writeFileSync(
    config,
    `repos:\n  demo: ${repo}\nkeys:\n  - name: ada\n    role: admin\n    hash: ${hashKey(KEYS.admin)}\n  - name: rita\n    role: read\n    hash: ${hashKey(KEYS.reader)}\n  - name: bob\n    role: approve\n    hash: ${hashKey(KEYS.approver)}\n  - name: "${MARKUP}"\n    role: write\n    hash: ${hashKey(KEYS.markup)}\n`,
  );
  const forge = await startForge(['--config', config, '--usage-db', ':memory:']);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  const self: Console = {
    forge,
    repo,
    browser,
    problems,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: forge.url });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      return { context, page };
    },
    async signedIn(key = KEYS.admin) {
      const { page } = await self.newPage();
      await page.goto(`${forge.url}/`);
      await page.locator('main[data-page=signin]').waitFor();
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('main[data-page=catalog][data-state=ready]').waitFor();
      await page.locator('body[data-live=open]').waitFor();
      return page;
    },
    git: (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }),
    async apiCall(method, path, body, key = KEYS.admin) {
      const res = await fetch(`${forge.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await forge.stop();
      temp.cleanup();
    },
  };
  return self;
}

const AXE = readFileSync(resolve(__dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>("axe.run(document, { resultTypes: ['violations'] })");
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Writes docs/images/console-NAME.png when PROMPTFORGE_SCREENSHOTS=1 (the docs' pictures). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.PROMPTFORGE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: resolve(__dirname, `../../docs/images/console-${name}.png`), fullPage: false });
}
