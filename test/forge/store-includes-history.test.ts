/** A prompt's history counts the commits that change a prompt it includes, transitively (DESIGN §2). */
import { strict as assert } from 'node:assert';
import { PromptStore, type StoreEvent } from '../../forge/store';
import { makeRepo, type TestRepo } from '../fixtures/git/makeRepo';

const ann = { name: 'Ann' };
const text = (body: string, params = '') => `---\ndescription: t\n${params ? `params:\n${params}` : ''}---\n${body}\n`;
const app = '  app: { type: string, required: true }\n';

describe('PromptStore histories through includes', () => {
  let repo: TestRepo;
  let store: PromptStore;

  beforeEach(async () => {
    repo = makeRepo({
      bare: true,
      commits: [
        { files: { 'signature.prompt': text('— {{app}}', app), 'footer.prompt': text('[{{> signature}}]', app) }, message: 'partials' },
        { files: { 'welcome.prompt': text('Welcome to {{app}}.', app) }, message: 'welcome, no include yet' },
        { files: { 'signature.prompt': text('— the {{app}} crew', app) }, message: 'signature before welcome includes it' },
        { files: { 'welcome.prompt': text('Welcome to {{app}}.\n{{> footer}}', app) }, message: 'welcome includes footer' },
        { files: { 'other.prompt': text('unrelated') }, message: 'unrelated' },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  afterEach(async () => {
    await store.close();
    repo.cleanup();
  });

  it('renders the new signature at welcome/HEAD after the partial is updated, and HEAD~1 is the version before', async () => {
    const before = store.versions('welcome')[0].sha;
    const events: StoreEvent[] = [];
    store.on('change', (e) => events.push(e));
    const sig = store.versions('signature')[0].sha;
    const edit = await store.commitPrompt('signature', { content: text('Happy building,\n— the {{app}} team', app), base: sig, message: 'warmer signature' }, ann);
    const head = await store.render('welcome', 'HEAD', { app: 'Acme' });
    assert.equal(head.sha, edit.sha);
    assert.match(head.text!, /^Welcome to Acme\.\n\[Happy building,\n\s*— the Acme team/);
    assert.match((await store.render('welcome', 'HEAD~1', { app: 'Acme' })).text!, /^Welcome to Acme\.\n\[— the Acme crew/);
    assert.equal((await store.resolve('welcome', 'HEAD~1')).sha, before);
    assert.equal(store.versions('welcome')[0].message, 'warmer signature');
    assert.equal(store.versions('footer')[0].sha, edit.sha, 'footer includes signature directly');
    assert.equal((await store.resolve('welcome', 'main')).sha, edit.sha);
    assert.equal((await store.resolve('welcome', edit.sha.slice(0, 10))).sha, edit.sha);
    const versionEvents = events.flatMap((e) => (e.type === 'version' ? [e.id] : [])).sort();
    assert.deepEqual(versionEvents, ['footer', 'signature', 'welcome']);
  });

  it('counts a partial change only while the prompt includes it, and never for unrelated prompts', () => {
    assert.deepEqual(store.versions('welcome').map((v) => v.message), ['welcome includes footer', 'welcome, no include yet']);
    assert.deepEqual(store.versions('footer').map((v) => v.message), ['signature before welcome includes it', 'partials']);
    assert.deepEqual(store.versions('other').map((v) => v.message), ['unrelated']);
  });
});
