/**
 * The forge killed with SIGKILL in the middle of a stream of writes: after a restart every
 * acknowledged commit and promotion is there and the repository is consistent.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

interface Acked {
  commits: string[];
  promotions: { from: string | null; to: string }[];
}

describe('forge API: SIGKILL during writes', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;

  before(() => {
    tmp = tempDir('pf-crash-');
    repo = makeDemo(tmp.dir);
  });
  after(() => tmp?.cleanup());

  it('keeps every acknowledged write across kills, with git fsck clean', async () => {
    const acked: Acked = { commits: [], promotions: [] };
    const welcome = git(repo, 'log', '--format=%H', 'main', '--', 'welcome.prompt').split('\n');
    const source = git(repo, 'show', 'main:summarize-ticket.prompt');
    let revision = 0;

    for (let round = 0; round < 3; round++) {
      const forge = await startForge(['--repo', `demo=${repo}`]);
      const put = (path: string, body: unknown) =>
        fetch(forge.url + path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      let acks = 0;
      let killed = false;
      const ack = () => {
        if (++acks >= 4 && !killed) {
          killed = true;
          forge.proc.kill('SIGKILL');
        }
      };
      // Each writer keeps its own view of the current state and stops when the forge is gone.
      const committer = async () => {
        let base = (await (await fetch(`${forge.url}/api/v1/repos/demo/prompts/summarize-ticket/versions`)).json() as any).versions[0].sha;
        for (;;) {
          const res = await put('/api/v1/repos/demo/prompts/summarize-ticket', { content: `${source}\nrevision ${++revision}\n`, base, message: `revision ${revision}` }).catch(() => null);
          if (!res) return;
          if (res.status === 200) {
            acked.commits.push(res.body.sha);
            base = res.body.sha;
            ack();
          } else if (res.status === 409) base = res.body.error.current;
        }
      };
      const promoter = async (n: number) => {
        let current: string | null = (await (await fetch(`${forge.url}/api/v1/repos/demo/prompts/welcome/versions`)).json() as any).versions.find((v: any) => v.labels.includes('canary'))?.sha ?? null;
        for (let i = n; ; i++) {
          const to = welcome[i % welcome.length];
          const res = await put('/api/v1/repos/demo/prompts/welcome/labels/canary', { version: to, expected: current ?? '' }).catch(() => null);
          if (!res) return;
          if (res.status === 200) {
            acked.promotions.push({ from: res.body.from, to: res.body.to });
            current = res.body.to;
            ack();
          } else if (res.status === 409) current = res.body.error.current ?? null;
        }
      };
      await Promise.all([committer(), promoter(round)]);
      await forge.stop();
      assert.ok(killed, 'the forge was killed mid-stream');

      for (const sha of acked.commits) git(repo, 'merge-base', '--is-ancestor', sha, 'main');
      git(repo, 'fsck', '--strict', '--no-progress');
    }

    const forge: ForgeProcess = await startForge(['--repo', `demo=${repo}`]);
    try {
      const history = ((await (await fetch(`${forge.url}/api/v1/repos/demo/prompts/welcome/labels/canary/history`)).json()) as any).history as { from: string | null; to: string }[];
      for (const p of acked.promotions) {
        assert.ok(history.some((h) => h.from === p.from && h.to === p.to), `acknowledged promotion ${p.from} → ${p.to} is in the history`);
      }
      assert.equal(git(repo, 'rev-parse', 'refs/labels/welcome/canary'), history[0].to, 'the label is where its newest recorded move put it');
      const versions = ((await (await fetch(`${forge.url}/api/v1/repos/demo/prompts/summarize-ticket/versions`)).json()) as any).versions.map((v: any) => v.sha);
      for (const sha of acked.commits) assert.ok(versions.includes(sha), `acknowledged commit ${sha} is in the history`);
      assert.ok(acked.commits.length >= 3 && acked.promotions.length >= 3, `writes were acknowledged (${acked.commits.length} commits, ${acked.promotions.length} promotions)`);
    } finally {
      await forge.stop();
    }
  });
});
