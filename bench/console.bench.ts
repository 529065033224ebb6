/**
 * The web console on the 10,000-prompt benchmark repository: a real forge and Debian's
 * Chromium. Prints the first load (compressed JS + CSS), and for a prompt page opened
 * cold: the browser's first contentful paint and the time until the page shows the
 * prompt with its history (`data-state=ready`), medians of a few fresh browser contexts.
 *
 *   npm run build && node --import tsx bench/console.bench.ts [--prompts 10000] [--commits 2000] [--runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../test/e2e/harness/codeServer';
import { CHROMIUM_ARGS } from '../test/e2e/harness/workbench';
import { startForge } from '../test/forge/apiServer';
import { makeLargeRepo } from '../test/fixtures/git/largeRepo';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const prompts = option('prompts', 10_000);
  const root = mkdtempSync(join(tmpdir(), 'pf-bench-console-'));
  const dir = join(root, 'large.git');
  await makeLargeRepo(dir, { prompts, commits: option('commits', 2_000), editsPerCommit: 15 });
  const forge = await startForge(['--repo', `large=${dir}`, '--usage-db', ':memory:']);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  try {
    const html = await (await fetch(`${forge.url}/`)).text();
    let size = 0;
    for (const [, path] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) size += gzipSync(Buffer.from(await (await fetch(`${forge.url}${path}`)).arrayBuffer()), { level: 9 }).length;
    console.log(`first load     ${(size / 1024).toFixed(1)} KB JS + CSS (gzip -9)  goal < 300 KB  ${size < 300 * 1024 ? 'OK' : 'MISSED'}`);
    const paints: number[] = [];
    const ready: number[] = [];
    const catalog: number[] = [];
    for (let i = 0; i < option('runs', 5); i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const id = `p${String((i * 1_733) % prompts).padStart(5, '0')}`;
      const started = Date.now();
      await page.goto(`${forge.url}/#/p/large/${id}`);
      await page.locator('main[data-page=prompt][data-state=ready] .timeline li').first().waitFor();
      ready.push(Date.now() - started);
      paints.push(await page.evaluate<number>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"));
      const start2 = Date.now();
      await page.goto(`${forge.url}/#/`);
      await page.locator('main[data-page=catalog][data-state=ready]').waitFor();
      catalog.push(Date.now() - start2);
      await context.close();
    }
    console.log(`prompt page    first contentful paint median ${median(paints).toFixed(0)} ms; prompt and history shown median ${median(ready)} ms  (runs: ${ready.join(', ')})`);
    console.log(`catalog        ${prompts} prompts listed and searchable, median ${median(catalog)} ms`);
  } finally {
    await browser.close();
    await forge.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
