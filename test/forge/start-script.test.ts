/**
 * `npm start` (scripts/start.mjs) as npm runs it: under `sh -c "… && node scripts/start.mjs"`.
 * The URL is printed only once the forge answers; a busy port is named with the variable
 * that changes it; and when npm's shell goes away, the forge goes too and frees its port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { makeDemo, tempDir } from './apiServer';

const script = resolve(__dirname, '../../scripts/start.mjs');

/** Like `npm start`: a shell that runs a step, then the script (so the shell does not exec it). */
function npmStart(env: Record<string, string>): { proc: ChildProcess; output(): string; lineMatching(re: RegExp): Promise<RegExpExecArray>; closed: Promise<void> } {
  const proc = spawn('sh', ['-c', `true && "${process.execPath}" "${script}"`], { env: { ...process.env, PROMPTFORGE_NO_EDITOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: (() => void)[] = [];
  for (const stream of [proc.stdout!, proc.stderr!]) {
    stream.on('data', (d: Buffer) => {
      out += d.toString();
      waiters.forEach((w) => w());
    });
  }
  // Both pipes close only when every process holding them (shell, script, forge) has exited.
  const closed = Promise.all([proc.stdout!, proc.stderr!].map((s) => new Promise<void>((done) => s.on('close', () => done())))).then(() => undefined);
  return {
    proc,
    output: () => out,
    closed,
    lineMatching: (re) =>
      new Promise((found, fail) => {
        const check = () => {
          const match = re.exec(out);
          if (match) found(match);
        };
        waiters.push(check);
        check();
        void closed.then(() => fail(new Error(`start ended without ${re}:\n${out}`)));
      }),
  };
}

const listen = (port = 0) =>
  new Promise<Server>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let demo: string;

  before(() => {
    tmp = tempDir('pf-start-');
    demo = makeDemo(tmp.dir);
  });
  after(() => tmp?.cleanup());

  it('says the port is busy and names PROMPTFORGE_PORT, printing no URL', async () => {
    const taken = await listen();
    try {
      const port = (taken.address() as { port: number }).port;
      const run = npmStart({ PROMPTFORGE_PORT: String(port), PROMPTFORGE_DEMO_DIR: demo });
      const code = await new Promise<number | null>((done) => run.proc.on('exit', done));
      await run.closed;
      assert.equal(code, 1);
      assert.match(run.output(), new RegExp(`port ${port} is already in use.*PROMPTFORGE_PORT=`));
      assert.doesNotMatch(run.output(), /serves http/);
    } finally {
      taken.close();
    }
  });

  it('prints the URL once the forge answers, builds the demo without a "next:" hint, and stops the forge when npm\'s shell is killed', async () => {
    const fresh = join(tmp.dir, 'fresh-demo');
    const run = npmStart({ PROMPTFORGE_PORT: '0', PROMPTFORGE_DEMO_DIR: fresh });
    const [, url] = await run.lineMatching(/the forge serves (http:\/\/\S+) /);
    assert.equal((await fetch(`${url}/healthz`)).status, 200, 'answering when the URL is printed');
    assert.match(run.output(), new RegExp(`^console: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/ `, 'm'), 'the web console URL is printed');
    assert.equal((await fetch(`${url}/`)).headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(run.output(), /creating the demo repository/);
    assert.doesNotMatch(run.output(), /next: promptforge serve/);
    run.proc.kill('SIGTERM'); // what npm does on `kill <npm pid>`: the shell dies, the script is orphaned
    await run.closed;
    const port = Number(new URL(url).port);
    (await listen(port)).close(); // the port is free again
    assert.match(run.output(), /the forge stopped/);
  });

  it('stops the forge on SIGHUP sent to the script', async () => {
    const copy = join(tmp.dir, 'hup-demo');
    cpSync(demo, copy, { recursive: true });
    const proc = spawn(process.execPath, [script], { env: { ...process.env, PROMPTFORGE_NO_EDITOR: '1', PROMPTFORGE_PORT: '0', PROMPTFORGE_DEMO_DIR: copy }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const url = await new Promise<string>((found) =>
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /the forge serves (http:\/\/\S+) /.exec(out);
        if (m) found(m[1]);
      }),
    );
    proc.kill('SIGHUP');
    await new Promise((done) => proc.stdout!.on('close', done));
    (await listen(Number(new URL(url).port))).close();
  });
});
