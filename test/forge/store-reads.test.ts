import { strict as assert } from 'node:assert';
import { PromptStore, StoreError } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { rejects } from './support/storeErrors';

for (const bare of [true, false]) {
  describe(`PromptStore reads (${bare ? 'bare' : 'work-tree'} repo)`, () => {
    let repo: TestRepo;
    let store: PromptStore;

    before(async () => {
      repo = makeRepo({
        bare,
        commits: [
          {
            files: {
              'prompts/welcome.prompt': promptText('Hello {{name}}! v1', { params: { name: { type: 'string', required: true } }, tags: ['onboarding'] }),
              'signature.prompt': promptText('-- the team'),
              '.hidden/secret.prompt': promptText('not a prompt'),
              'README.md': 'not a prompt',
            },
            message: 'add welcome',
            author: 'Ann',
            tags: ['welcome@1.0.0'],
          },
          { files: { 'prompts/welcome.prompt': promptText('Hello {{name}}! v2 {{> signature}}', { params: { name: { type: 'string', required: true } } }) }, message: 'welcome v2', labels: ['welcome/production'] },
          { files: { 'README.md': 'docs only' }, message: 'docs' },
          { branch: 'feature/tone', files: { 'prompts/welcome.prompt': promptText('Hey {{name}}! v3') }, message: 'friendlier' },
          { files: { 'prompts/welcome.prompt': promptText('Hello {{name}}! v4', { status: 'deprecated' }) }, message: 'welcome v4', labels: ['welcome/staging'] },
          { files: { 'other/signature.prompt': promptText('duplicate stem') }, message: 'duplicate' },
          { files: { 'chat.prompt': promptText('system:\nYou help {{who}}.\nuser:\nHi', { type: 'chat', params: { who: { type: 'string', default: 'everyone' } } }) }, message: 'chat' },
        ],
      });
      store = await PromptStore.open(repo.dir, { watch: false });
    });
    after(async () => {
      await store.close();
      repo.cleanup();
    });

    it('lists the prompts of the default branch, skipping hidden folders and reporting duplicate ids', () => {
      const prompts = store.listPrompts();
      assert.deepEqual(prompts.map((p) => p.id), ['chat', 'signature', 'welcome']);
      assert.equal(prompts[0].type, 'chat');
      const welcome = prompts.find((p) => p.id === 'welcome')!;
      assert.equal(welcome.path, 'prompts/welcome.prompt');
      assert.equal(welcome.status, 'deprecated');
      assert.equal(welcome.latest.sha, repo.shas[4]);
      assert.deepEqual(welcome.labels, { production: repo.shas[1], staging: repo.shas[4] });
      const signature = prompts.find((p) => p.id === 'signature')!;
      assert.equal(signature.path, 'other/signature.prompt' < 'signature.prompt' ? 'other/signature.prompt' : 'signature.prompt');
      assert.match(signature.problems?.[0].message ?? '', /other\/signature\.prompt/);
    });

    it("lists a prompt's own history newest first with releases and labels", () => {
      const versions = store.versions('welcome');
      assert.deepEqual(versions.map((v) => v.sha), [repo.shas[4], repo.shas[1], repo.shas[0]]);
      assert.deepEqual(versions.map((v) => v.message), ['welcome v4', 'welcome v2', 'add welcome']);
      assert.deepEqual(versions[1].labels, ['production']);
      assert.equal(versions[2].release, '1.0.0');
      assert.equal(versions[2].author, 'Ann');
      assert.deepEqual(store.versions('welcome', 'feature/tone').map((v) => v.sha), [repo.shas[3], repo.shas[1], repo.shas[0]]);
    });

    it('knows the branches and the default branch', () => {
      assert.deepEqual(store.branches(), ['feature/tone', 'main']);
      assert.equal(store.defaultBranch(), 'main');
    });

    const forms: [spec: string | undefined, commit: number][] = [
      [undefined, 4],
      ['HEAD', 4],
      ['main/HEAD', 4],
      ['main', 4],
      ['feature/tone', 3],
      ['feature/tone/HEAD', 3],
      ['production', 1],
      ['staging', 4],
      ['1.0.0', 0],
      ['v1.0.0', 0],
      ['HEAD~1', 1],
      ['staging~2', 0],
      ['production~1', 0],
    ];
    for (const [spec, commit] of forms) {
      it(`resolves ${spec ?? '(no version)'} to commit ${commit}`, async () => {
        const resolved = await store.resolve('welcome', spec);
        assert.equal(resolved.sha, repo.shas[commit]);
        assert.equal(resolved.repo, 'prompts');
        assert.equal(resolved.commit.sha, repo.shas[commit]);
        assert.match(resolved.source, /Hello|Hey/);
      });
    }

    it('resolves a sha prefix, and a commit that did not change the prompt to the version it had', async () => {
      assert.equal((await store.resolve('welcome', repo.shas[1].slice(0, 10))).sha, repo.shas[1]);
      assert.equal((await store.resolve('welcome', repo.shas[2])).sha, repo.shas[1]); // the docs-only commit
    });

    it('returns the parsed file and the release and labels of the version', async () => {
      const v1 = await store.resolve('welcome', '1.0.0');
      assert.equal(v1.release, '1.0.0');
      assert.equal(v1.path, 'prompts/welcome.prompt');
      assert.equal(v1.file.description, 'test prompt');
      assert.deepEqual((await store.resolve('welcome', 'production')).labels, ['production']);
    });

    it('renders with partials read at the same commit', async () => {
      const rendered = await store.render('welcome', 'production', { name: 'Ann' });
      assert.match(rendered.text ?? '', /Hello Ann! v2 -- the team/);
    });

    it('renders chat prompts as messages, defaults applied', async () => {
      const rendered = await store.render('chat', undefined, {});
      assert.deepEqual(rendered.messages, [
        { role: 'system', content: 'You help everyone.' },
        { role: 'user', content: 'Hi' },
      ]);
      assert.deepEqual(rendered.values, { who: 'everyone' });
    });

    it('refuses to half-render: missing, unknown and ill-typed params are errors naming the param', async () => {
      const missing = await rejects(store.render('welcome', 'production', {}), 'missing_param');
      assert.equal(missing.status, 400);
      assert.match(missing.message, /name/);
      await rejects(store.render('welcome', 'production', { name: 'Ann', extra: 1 }), 'unknown_param');
      await rejects(store.render('welcome', 'production', { name: 42 }), 'invalid_param_value');
      assert.match((await store.render('chat', 'HEAD', { who: 'Bob' }, { fromStrings: true })).messages![0].content, /Bob/);
    });

    it('diffs two versions as a unified patch', async () => {
      const { patch, from, to } = await store.diff('welcome', 'production', 'staging');
      assert.equal(from.sha, repo.shas[1]);
      assert.equal(to.sha, repo.shas[4]);
      assert.match(patch, /^-Hello \{\{name\}\}! v2/m);
      assert.match(patch, /^\+Hello \{\{name\}\}! v4/m);
    });

    it('answers unknown prompts and versions with clear errors', async () => {
      await rejects(store.resolve('nope'), 'prompt_not_found');
      await rejects(store.resolve('welcome', 'no-such-label'), 'version_not_found');
      await rejects(store.resolve('welcome', 'HEAD~9'), 'version_not_found');
      await rejects(store.resolve('welcome', '9.9.9'), 'version_not_found');
      assert.throws(() => store.versions('nope'), (e: StoreError) => e.code === 'prompt_not_found');
    });
  });
}
