import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, KEYS, MARKUP as XSS, screenshot, startConsole, type Console } from './harness';


const SUITE = `tests:
  - description: asks for the word limit
    vars: { ticket_text: Login fails }
    assert: [{ type: contains, value: at most 60 words, target: render }]
  - description: quotes the ticket in capitals
    vars: { ticket_text: Login fails }
    assert: [{ type: contains, value: LOGIN FAILS, target: render }]
`;

/** Replaces the focused editor's text by pasting, as a user would (CodeMirror handles the paste itself). */
async function pasteOver(page: import('playwright-core').Page, text: string): Promise<void> {
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+v');
}

describe('web console in Chromium', function () {
  this.timeout(120_000);
  let c: Console;

  before(async () => {
    c = await startConsole((repo) => {
      // A test suite for summarize-ticket (checks on the rendered prompt: no model needed),
      // and a protected label that moves only through an approved request.
      writeFileSync(join(repo, 'summarize-ticket.test.yaml'), SUITE);
      mkdirSync(join(repo, '.promptforge'), { recursive: true });
      writeFileSync(join(repo, '.promptforge/policy.yaml'), 'labels:\n  gated:\n    protected: true\n    requires: { approvals: 1 }\n');
      execFileSync('git', ['-C', repo, 'add', '-A']);
      execFileSync('git', ['-C', repo, '-c', 'user.name=Ada Park', '-c', 'user.email=ada@example.com', 'commit', '-qm', 'Tests for summarize-ticket; gated label']);
    });
    // A prompt whose text, description and commit message are markup. An author cannot
    // hold `<` or `>` (git and the forge refuse them), so the markup key's name is shown
    // where a name can hold them: the signed-in caller.
    const content = `---\ndescription: "${XSS}"\nparams:\n  raw: { type: string }\n---\nHello ${XSS} and {{{raw}}}\n`;
    const made = await c.apiCall('PUT', '/api/v1/repos/demo/prompts/xss', { content, message: XSS });
    assert.equal(made.status, 200, JSON.stringify(made.json));
    // Calls to two versions of welcome, for the usage chart.
    const versions = (await c.apiCall('GET', '/api/v1/repos/demo/prompts/welcome/versions')).json.versions as { sha: string }[];
    const events = versions.slice(0, 2).flatMap((v, n) => Array.from({ length: 5 + n * 3 }, (_, i) => ({ uri: `prompt://localhost/demo/welcome/${v.sha}`, success: i % 4 !== 0, latencyMs: 300 + i * 40 })));
    assert.equal((await c.apiCall('POST', '/api/v1/usage', { events })).json.accepted, events.length);
  });
  after(async () => c?.close());
  afterEach(() => assert.deepEqual(c.problems.splice(0), [], 'no CSP violation, page error or dialog'));

  it('signs in with a key into an HttpOnly SameSite=Strict cookie, never keeping the key in the page, and signs out', async () => {
    const { context, page } = await c.newPage();
    await page.goto(`${c.forge.url}/`);
    await page.locator('main[data-page=signin][data-state=ready]').waitFor();
    await screenshot(page, 'signin');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('API key').fill('pf_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-error]').filter({ hasText: 'unauthorized' }).waitFor();
    await page.getByLabel('API key').fill(KEYS.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[data-page=catalog][data-state=ready]').waitFor();
    const [cookie] = await context.cookies();
    assert.equal(cookie.name, 'pf_session');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.notEqual(cookie.value, KEYS.admin);
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + location.href');
    assert.ok(!stored.includes(KEYS.admin) && !stored.includes('pf_session'), stored);
    assert.equal(await page.locator('[data-caller=ada]').textContent(), 'ada (admin)');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('main[data-page=signin]').waitFor();
    const after = await page.evaluate<number>("fetch('/api/v1/repos').then((r) => r.status)");
    assert.equal(after, 401, 'the session is gone on the forge too');
  });

  it('a read key browses but is offered no promote, release or edit', async () => {
    const page = await c.signedIn(KEYS.reader);
    await page.goto(`${c.forge.url}/#/p/demo/welcome`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.locator('[data-preview=ready]').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Promote or roll back' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  });

  it('the catalog searches by id, description and tag and filters by label', async () => {
    const page = await c.signedIn();
    const rows = page.locator('table.catalog tbody tr');
    assert.equal(await rows.count(), 7); // the demo's six and the markup one
    assert.equal(await page.locator('tr[data-prompt="demo/welcome"] td[data-calls]').getAttribute('data-calls'), '13', 'the calls recorded in before()');
    await screenshot(page, 'catalog');
    assert.deepEqual(await axeViolations(page), []);
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('onboarding'); // a tag
    await page.locator('[data-count="1"]').waitFor();
    assert.equal(await rows.first().getAttribute('data-prompt'), 'demo/welcome');
    await search.fill('greets'); // the description
    await page.locator('[data-count="1"]').waitFor();
    await search.fill('summarize'); // the id
    assert.equal(await rows.first().getAttribute('data-prompt'), 'demo/summarize-ticket');
    await search.fill('');
    await page.getByLabel('Label').selectOption('production');
    await page.locator('table.catalog tbody tr[data-prompt="demo/welcome"]').waitFor();
    assert.ok(Number(await page.locator('.count').getAttribute('data-count')) < 7);
  });

  it('previews a prompt with params from its schema, and a chat prompt as messages', async () => {
    const page = await c.signedIn();
    await page.getByRole('link', { name: 'welcome' }).click();
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.locator('[data-preview=ready]').waitFor();
    await page.getByLabel('app_name *').fill('Acme');
    await page.getByLabel('tier').selectOption('premium');
    await page.getByRole('button', { name: 'Render' }).click();
    const text = page.locator('[data-preview=ready] pre.text');
    await text.filter({ hasText: 'Welcome to Acme' }).waitFor();
    assert.match((await text.textContent())!, /premium plan/);
    assert.match((await page.locator('[data-pinned]').textContent())!, /^prompt:\/\/[^/]+\/demo\/welcome\/[0-9a-f]{40}$/);
    await page.getByRole('button', { name: 'Copy pinned URI' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied the pinned URI' }).waitFor();
    assert.match(await page.evaluate<string>('navigator.clipboard.readText()'), /\/demo\/welcome\/[0-9a-f]{40}$/);
    await page.locator('figure.chart svg.usage-chart').waitFor();
    assert.match((await page.locator('figure.chart figcaption').textContent())!, /8 calls/);
    await screenshot(page, 'prompt');
    assert.deepEqual(await axeViolations(page), []);

    await page.goto(`${c.forge.url}/#/p/demo/support-chat`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.getByLabel('customer_name *').fill('Jo');
    await page.getByRole('button', { name: 'Render' }).click();
    await page.locator('[data-preview=ready] li[data-role=user]').filter({ hasText: 'Jo' }).waitFor();
    assert.equal(await page.locator('[data-preview=ready] li[data-role=system]').count(), 1);
  });

  it('diffs two versions inline and side by side', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/p/demo/welcome`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.getByRole('button', { name: 'Show diff' }).click();
    await page.locator('[data-diff=ready] pre.diff .add').first().waitFor();
    assert.ok((await page.locator('[data-diff=ready] pre.diff .del').count()) > 0);
    await page.getByLabel('Side by side').check();
    await page.locator('[data-diff=ready] table.sbs td.add').first().waitFor();
  });

  it('promotes with compare-and-swap: a label moved elsewhere shows live, and the conflict shows both sides', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/p/demo/welcome`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    const versions = (await c.apiCall('GET', '/api/v1/repos/demo/prompts/welcome/versions')).json.versions as { sha: string; release?: string | null }[];
    const before = (await page.locator('[data-label=production]').getAttribute('data-sha'))!;
    const [newest, elsewhere] = versions.map((v) => v.sha).filter((s) => s !== before);
    await page.getByLabel('Label', { exact: true }).fill('production');
    await page.locator('select[name=version]').selectOption(newest);
    await page.getByRole('button', { name: 'Promote…' }).click();
    await page.locator('[data-promote=confirm]').waitFor();
    // Someone else moves the label (the CLI, VS Code): the page shows it without a reload.
    const moved = await c.apiCall('PUT', '/api/v1/repos/demo/prompts/welcome/labels/production', { version: elsewhere, expected: before });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    await page.locator(`[data-label=production][data-sha="${elsewhere}"]`).waitFor();
    await page.getByRole('button', { name: 'Move production' }).click();
    const conflict = page.locator('[data-conflict]');
    await conflict.waitFor();
    assert.match((await conflict.locator('[data-side=expected]').textContent())!, new RegExp(`^${before.slice(0, 8)}`));
    assert.match((await conflict.locator('[data-side=current]').textContent())!, new RegExp(`^${elsewhere.slice(0, 8)}`));
    assert.equal(((await c.apiCall('GET', '/api/v1/repos/demo/prompts')).json.prompts as { id: string; labels: Record<string, string> }[]).find((p) => p.id === 'welcome')!.labels.production, elsewhere, 'nothing was overwritten');
    await conflict.scrollIntoViewIfNeeded();
    await screenshot(page, 'promote-conflict');
    assert.deepEqual(await axeViolations(page), []);
    await conflict.getByRole('button', { name: /anyway/ }).click();
    await page.locator('[data-promote=done]').waitFor();
    await page.locator(`[data-label=production][data-sha="${newest}"]`).waitFor();
    assert.equal(c.git('rev-parse', 'refs/labels/welcome/production').trim() || newest, newest);
  });

  it('edits with problems from the forge as you type, saves a commit with the exact bytes, and shows a branch conflict without overwriting', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/p/demo/classify-intent/edit`);
    await page.locator('main[data-page=editor][data-state=ready]').waitFor();
    await page.locator('.problems[data-checked="1"]').waitFor();
    const editor = page.getByRole('textbox', { name: 'classify-intent.prompt' });
    await editor.click();
    const text = '---\ndescription: Sorts a message into an intent\nparams:\n  message: { type: string, required: true }\n---\nClassify: {{message}} {{missing}}\n';
    await pasteOver(page, text);
    await page.locator('.problems li[data-code=undeclared-param]').waitFor();
    assert.match((await page.locator('.problems li[data-code=undeclared-param]').textContent())!, /`missing` is not a declared param/);
    await screenshot(page, 'editor');
    assert.deepEqual(await axeViolations(page), []);
    const fixed = text.replace(' {{missing}}', '') + 'Answer with one word.\r\n\ttabbed ünïcödé\n';
    await pasteOver(page, fixed);
    await page.locator('.problems[data-problems="0"]').waitFor();
    await page.getByLabel('Commit message').fill('Shorter classification');
    await page.getByRole('button', { name: 'Save (commit)' }).click();
    const saved = page.locator('[data-save=saved]');
    await saved.waitFor();
    const sha = (await saved.getAttribute('data-sha'))!;
    assert.equal(c.git('show', `${sha}:classify-intent.prompt`), fixed, 'git has the exact bytes');
    assert.equal(c.git('log', '-1', '--format=%an|%s', sha).trim(), 'ada|Shorter classification');

    // Someone commits on the branch meanwhile; saving again from the old base conflicts.
    const theirs = fixed.replace('one word', 'a single word');
    const other = await c.apiCall('PUT', '/api/v1/repos/demo/prompts/classify-intent', { content: theirs, base: sha, message: 'Theirs' });
    assert.equal(other.status, 200);
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('Mine.');
    await page.getByLabel('Commit message').fill('Mine');
    await page.getByRole('button', { name: 'Save (commit)' }).click();
    await page.locator('[data-save=conflict] [data-conflict]').waitFor();
    assert.equal(await page.locator('[data-side=theirs]').textContent(), theirs);
    assert.match((await page.locator('[data-side=mine]').textContent())!, /Mine\.$/);
    assert.equal(c.git('show', `${other.json.sha}:classify-intent.prompt`), theirs);
    assert.equal(c.git('rev-parse', 'main').trim(), other.json.sha, 'the branch was not overwritten');
    await page.locator('[data-conflict]').scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-conflict');
    await page.getByRole('button', { name: 'Take theirs (drop mine)' }).click();
    await page.locator(`[data-base="${other.json.sha}"]`).waitFor();
  });

  it("shows markup in a prompt's text, description, commit message and a key's name as text, running nothing", async () => {
    const page = await c.signedIn();
    await page.getByRole('searchbox', { name: 'Search' }).fill('xss');
    await page.locator('tr[data-prompt="demo/xss"] td', { hasText: XSS }).waitFor();
    await page.goto(`${c.forge.url}/#/p/demo/xss`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.locator('[data-preview=ready]').waitFor();
    await page.getByLabel('raw').fill(XSS);
    await page.getByRole('button', { name: 'Render' }).click();
    await page.locator('pre.text', { hasText: `Hello ${XSS} and ${XSS}` }).waitFor();
    await page.locator('.timeline .message', { hasText: XSS }).waitFor();
    await page.locator('.description', { hasText: XSS }).waitFor();
    assert.equal(await page.locator('img').count(), 0, 'no element was made from the markup');
    await page.goto(`${c.forge.url}/#/p/demo/xss/edit`);
    await page.locator('main[data-page=editor][data-state=ready]').waitFor();
    await page.locator('.cm-content', { hasText: `Hello ${XSS}` }).waitFor();
    assert.equal(await page.locator('img').count(), 0);
    // Signed in as the key named with markup: its name in the header is text too.
    const marked = await c.signedIn(KEYS.markup);
    assert.equal(await marked.locator('[data-caller]').textContent(), `${XSS} (write)`);
    assert.equal(await marked.locator('img').count(), 0);
  });

  it('runs a suite and reads its results; a protected label moves through a request another key approves', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/p/demo/summarize-ticket`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.locator('[data-tests=not-run]').waitFor();
    await page.getByRole('button', { name: 'Run tests' }).click();
    await page.locator('[data-tests=ready]').waitFor();
    assert.equal(await page.locator('[data-tests=ready] li[data-pass=true]').textContent(), '✓ asks for the word limit');
    assert.match((await page.locator('[data-tests=ready] li[data-pass=false]').textContent())!, /quotes the ticket in capitals/);

    await page.getByLabel('Label', { exact: true }).fill('gated');
    await page.getByRole('button', { name: 'Promote…' }).click();
    await page.getByRole('button', { name: 'Move gated' }).click();
    await page.locator('[data-promote=gated]').filter({ hasText: 'gate_failed' }).waitFor();
    await page.getByRole('button', { name: 'Request promotion of gated' }).click();
    await page.locator('[data-request-message]').waitFor();
    assert.match((await page.locator('[data-request-message]').textContent())!, /^Requested gated/);
    const request = page.locator('li[data-status=open]');
    await request.waitFor();
    assert.equal(await request.getByRole('button', { name: 'Approve' }).count(), 0, 'no one approves their own request');
    assert.equal(await request.getByRole('button', { name: 'Reject' }).count(), 1);
    await screenshot(page, 'requests');
    assert.deepEqual(await axeViolations(page), []);

    const bob = await c.signedIn(KEYS.approver);
    await bob.goto(`${c.forge.url}/#/p/demo/summarize-ticket`);
    await bob.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await bob.locator('li[data-status=open]').getByRole('button', { name: 'Approve' }).click();
    await bob.locator('li[data-status=open]', { hasText: '1 approval (bob)' }).waitFor();
    await bob.locator('li[data-status=open]').getByRole('button', { name: 'Apply' }).click();
    await bob.locator('li[data-status=applied]').waitFor();
    await page.locator('[data-label=gated]').waitFor(); // the first page sees the move live
  });

  it('works from the keyboard alone: search, open a prompt, fill its params and render', async () => {
    const page = await c.signedIn();
    await page.reload();
    await page.locator('main[data-page=catalog][data-state=ready]').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate<string>('document.activeElement.id'), 'main');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.type'), 'search');
    await page.keyboard.type('chat');
    await page.locator('[data-count="1"]').waitFor();
    for (let i = 0; i < 10 && !(await page.evaluate<boolean>("document.activeElement.matches('tbody a')")); i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'support-chat');
    await page.keyboard.press('Enter');
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    assert.equal(await page.evaluate<string>('document.activeElement.id'), 'main', 'a new page starts at its content');
    for (let i = 0; i < 20 && (await page.evaluate<string>('document.activeElement.id')) !== 'param-customer_name'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter'); // submits the params form
    await page.locator('[data-preview=ready] li[data-role=user]').filter({ hasText: 'Kim' }).waitFor();
  });

  it('follows the system colour scheme, light or dark', async () => {
    const page = await c.signedIn();
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background(), 'rgb(23, 22, 28)');
    await page.goto(`${c.forge.url}/#/p/demo/welcome`);
    await page.locator('[data-preview]').waitFor();
    await screenshot(page, 'prompt-dark');
    assert.deepEqual(await axeViolations(page), [], 'contrast holds in dark too');
  });

  it('creates a release from the prompt page and shows it in the history', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/p/demo/classify-intent`);
    await page.locator('main[data-page=prompt][data-state=ready]').waitFor();
    await page.getByLabel('Release', { exact: true }).fill('7.0.0');
    await page.getByLabel('Notes').fill('From the console');
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Released 7.0.0' }).first().waitFor();
    await page.locator('.timeline .badge.release', { hasText: '7.0.0' }).waitFor();
    await page.getByLabel('Release', { exact: true }).fill('7.0.0');
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.locator('p.error', { hasText: 'release_exists' }).waitFor();
  });

  it('the dashboard counts prompts and lists changes seen live', async () => {
    const page = await c.signedIn();
    await page.goto(`${c.forge.url}/#/dashboard`);
    await page.locator('main[data-page=dashboard][data-state=ready]').waitFor();
    assert.equal(await page.locator('[data-stat=prompts]').textContent(), '7');
    await c.apiCall('POST', '/api/v1/repos/demo/prompts/signature/releases', { version: '9.9.9' });
    await page.locator('.activity li', { hasText: 'release' }).first().waitFor();
    assert.equal((await c.apiCall('POST', '/api/v1/repos/demo/prompts/summarize-ticket/tests/run', {})).status, 201);
    await page.locator('.alerts li', { hasText: '1 test failed' }).waitFor();
    await screenshot(page, 'dashboard');
    assert.deepEqual(await axeViolations(page), []);
  });
});
