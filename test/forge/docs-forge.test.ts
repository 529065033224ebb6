/**
 * Runs the shell examples of docs/forge.md marked `<!-- test:NAME -->` against a real forge:
 * the one-minute start (as written, with `npx promptforge`), the diff and the promote with
 * the label's current SHA read first. Only the port differs from the doc.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

const doc = readFileSync(join(__dirname, '../../docs/forge.md'), 'utf8');

/** The command lines of the ```sh block after the marker, comments dropped, `\` continuations joined. */
function block(name: string): { lines: string[]; after: string } {
  const at = doc.indexOf(`<!-- test:${name} -->\n\`\`\`sh\n`);
  assert.ok(at >= 0, `docs/forge.md has no sh block marked test:${name}`);
  const start = doc.indexOf('\n', doc.indexOf('```sh', at)) + 1;
  const end = doc.indexOf('\n```', start);
  const lines = doc.slice(start, end).replace(/\\\n\s*/g, '').split('\n');
  return { lines, after: doc.slice(end + 4, end + 2000) };
}

const withoutComment = (line: string) => line.replace(/\s+#.*$/, '');
const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('docs/forge.md examples', function () {
  this.timeout(60_000); // builds the demo with the real CLI, as the doc does
  let tmp: ReturnType<typeof tempDir>;
  let forge: ForgeProcess;
  let start: string[];
  /** Runs a doc line with bash against this forge's port. */
  const sh = (line: string) =>
    new Promise<string>((resolve, reject) =>
      execFile('bash', ['-euo', 'pipefail', '-c', line.replace(/localhost:7070/g, new URL(forge.url).host)], { cwd: tmp.dir }, (error, stdout, stderr) =>
        error ? reject(new Error(`${line}: ${stderr}`)) : resolve(stdout),
      ),
    );

  before(async () => {
    tmp = tempDir('pf-docs-');
    start = block('start').lines;
    // The start, as written: build (done by the suite), demo, serve (on a free port).
    const [build, demo, serve] = start.map(withoutComment);
    assert.equal(build, 'npm run build');
    assert.match(demo, /^npx promptforge demo \S+$/);
    const made = runCli(demo.split(' ').slice(2), { cwd: tmp.dir });
    assert.equal(made.code, 0, made.stderr);
    assert.match(serve, /^npx promptforge serve /);
    forge = await startForge(serve.split(" ").slice(3), { cwd: tmp.dir });
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('starts in one minute with commands that run in a checkout', async () => {
    for (const line of start) assert.match(line, /^(npm run build|npx promptforge |curl )/, `not runnable in a checkout: ${line}`);
    assert.match(start[2], /# → promptforge: serving demo at http:\/\/127\.0\.0\.1:7070$/);
    const url = /'([^']+)'/.exec(start[3])![1].replace('localhost:7070', new URL(forge.url).host);
    const res = await fetch(`http://${url}`);
    assert.equal(res.status, 200);
    assert.match(((await res.json()) as { text: string }).text, /^Welcome to Acme/);
  });

  it('shows the diff as it is answered: a plain unified diff starting with ---', async function () {
    if (!have('curl')) this.skip();
    const answer = JSON.parse(await sh(block('diff').lines[0]));
    const shown = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(block('diff').after)![1].replace(/"…"/g, '""').replace(/…/g, ''));
    assert.deepEqual(answer.diff.split('\n')[0].split('@')[0], shown.diff.split('\n')[0].split('@')[0]);
    assert.match(answer.diff, /^--- welcome\.prompt@[0-9a-f]{12}\t1\.0\.0\n\+\+\+ welcome\.prompt@[0-9a-f]{12}\tproduction\n@@ /);
  });

  it('promotes with the current SHA read first, as shown, and never with a made-up one', async function () {
    if (!have('curl') || !have('jq')) this.skip();
    const { lines } = block('promote');
    assert.ok(!lines.join('\n').match(/"expected": "[0-9a-f]{7,}"/), 'no SHA written into the example');
    const before = ((await (await fetch(`${forge.url}/api/v1/repos/demo/prompts`)).json()) as any).prompts.find((p: any) => p.id === 'welcome');
    const moved = JSON.parse(await sh(lines.join('\n')));
    assert.equal(moved.label, 'production');
    assert.equal(moved.from, before.labels.production);
    assert.equal(moved.to, before.latest.sha);
  });
});
