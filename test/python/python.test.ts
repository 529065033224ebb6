/**
 * The Python client's suite (clients/python/tests), run by the system's Python as part of
 * `npm test`: the shared grammar vectors, the client against a real forge, the docs
 * examples, asyncio and packaging. Debian's /usr/bin/python3 on purpose: it has
 * setuptools and wheel from apt (.ci/run installs them); `PROMPTFORGE_PYTHON` overrides.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const python = process.env.PROMPTFORGE_PYTHON ?? '/usr/bin/python3';
const testsDir = join(root, 'clients', 'python', 'tests');
const modules = readdirSync(testsDir).filter((f) => /^test_\w+\.py$/.test(f)).map((f) => f.slice(0, -3)).sort();

describe('the Python client (clients/python, unittest)', function () {
  this.timeout(600_000);
  let output = '';
  let status: number | null = null;
  let summary: { tests: string[]; failed: string[]; skipped: string[]; ran: number } = { tests: [], failed: [], skipped: [], ran: 0 };

  before(async function () {
    if (!existsSync(python)) {
      throw new Error(`${python} is missing: the Python client's suite needs Python 3.9+ with setuptools, wheel and pip (apt-get install python3 python3-setuptools python3-wheel python3-pip, as .ci/run does), or PROMPTFORGE_PYTHON=/path/to/python3`);
    }
    assert.ok(existsSync(join(root, 'dist', 'forge', 'cli.js')), 'dist/forge/cli.js is missing: run npm run build first');
    const summaryFile = join(mkdtempSync(join(tmpdir(), 'pf-python-suite-')), 'summary.json');
    const child = spawn(python, ['-m', 'tests.run', summaryFile], {
      cwd: join(root, 'clients', 'python'),
      env: { ...process.env, PYTHONPATH: join(root, 'clients', 'python', 'src'), PROMPTFORGE_NODE: process.execPath, PYTHONDONTWRITEBYTECODE: '1' },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    status = await new Promise<number | null>((done) => child.on('close', done));
    if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    const figures = /promptforge figures: (.*)/.exec(output);
    if (figures) console.log(`      python client: ${figures[1]}`);
  });

  for (const module of modules) {
    it(`passes ${module}`, () => {
      const mine = (id: string) => id.startsWith(`tests.${module}.`) || id.includes(`(tests.${module}.`);
      assert.ok(summary.tests.filter(mine).length > 0, `no test of ${module} ran:\n${output.slice(-4000)}`);
      assert.deepEqual(summary.failed.filter(mine), [], `${module} failed:\n${output.slice(-8000)}`);
    });
  }

  it('exits cleanly and runs every test', () => {
    assert.equal(status, 0, output.slice(-8000));
    assert.equal(summary.ran, summary.tests.length, 'every discovered test ran');
    assert.deepEqual(summary.skipped, [], 'nothing is skipped');
  });
});
