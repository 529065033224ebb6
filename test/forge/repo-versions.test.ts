/** `GET /api/v1/repos/:repo/versions`: every prompt's history in one answer, the same as each prompt's own `/versions`. */
import { strict as assert } from 'node:assert';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

describe('repo versions route', function () {
  const tmp = tempDir('pf-repo-versions-');
  let forge: ForgeProcess;
  const get = async (path: string) => {
    const res = await fetch(forge.url + path);
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    forge = await startForge(['--repo', `demo=${makeDemo(tmp.dir)}`]);
  });
  after(async () => {
    await forge?.stop();
    tmp.cleanup();
  });

  it('answers each prompt of the repo with the history its own route gives', async () => {
    const { body } = await get('/api/v1/repos/demo/versions');
    const { prompts } = (await get('/api/v1/repos/demo/prompts')).body;
    assert.deepEqual(Object.keys(body.versions).sort(), prompts.map((p: { id: string }) => p.id).sort());
    for (const { id } of prompts) assert.deepEqual(body.versions[id], (await get(`/api/v1/repos/demo/prompts/${id}/versions`)).body.versions, id);
    assert.ok(body.versions.welcome.length >= 3);
  });

  it('answers 404 repo_not_found for a repo the forge does not serve', async () => {
    const res = await get('/api/v1/repos/nope/versions');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'repo_not_found');
  });
});
