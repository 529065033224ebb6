/**
 * Writes that would leave a prompt unrenderable are refused with the problem's code and
 * position; prompts broken with plain git show their problems in the list.
 */
import { strict as assert } from 'node:assert';
import { PromptStore } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { rejects } from './support/storeErrors';

const ann = { name: 'Ann' };
const text = (body: string, params = '') => `---\ndescription: t\n${params ? `params:\n${params}` : ''}---\n${body}\n`;

describe('PromptStore keeps every prompt renderable', () => {
  let repo: TestRepo;
  let store: PromptStore;

  beforeEach(async () => {
    repo = makeRepo({
      bare: true,
      commits: [
        {
          files: {
            'welcome.prompt': text('Hi {{name}}.\n{{> signature}}', '  name: { type: string }\n'),
            'signature.prompt': text('— {{team}}', '  team: { type: string, default: us }\n'),
            'plain.prompt': promptText('plain'),
          },
        },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  afterEach(async () => {
    await store.close();
    repo.cleanup();
  });

  const tip = () => repo.git('rev-parse', 'main');

  it('refuses a prompt that includes itself (422 partial_cycle, file:line:col) and commits nothing', async () => {
    const before = tip();
    const error = await rejects(store.commitPrompt('selfy', { content: '---\ndescription: s\n---\nS {{> selfy}}\n', message: 'add selfy' }, ann), 'partial_cycle');
    assert.equal(error.status, 422);
    assert.match(error.message, /^selfy\.prompt:4:3: .*selfy → selfy/);
    const [problem] = (error.details as { problems: { id: string; code: string; start: { line: number; character: number } }[] }).problems;
    assert.deepEqual([problem.id, problem.code, problem.start], ['selfy', 'partial_cycle', { line: 3, character: 2 }]);
    assert.equal(tip(), before);
  });

  it('refuses an A ↔ B include cycle, naming the path', async () => {
    await rejects(store.commitPrompt('a', { content: text('A {{> b}}'), message: 'add a' }, ann), 'unknown_partial');
    const b = await store.commitPrompt('b', { content: text('B'), message: 'add b' }, ann);
    await store.commitPrompt('a', { content: text('A {{> b}}'), message: 'add a' }, ann);
    const error = await rejects(store.commitPrompt('b', { content: text('B {{> a}}'), base: b.sha, message: 'b includes a' }, ann), 'partial_cycle');
    assert.match(error.message, /^b\.prompt:4:3: .*b → a → b/);
  });

  it('refuses an unknown include and a param used but not declared, with positions', async () => {
    const unknown = await rejects(store.commitPrompt('x', { content: text('X\n  {{> nope}}'), message: 'x' }, ann), 'unknown_partial');
    assert.match(unknown.message, /^x\.prompt:5:3: .*`nope`/);
    const undeclared = await rejects(store.commitPrompt('y', { content: text('Dear {{customer}}', '  name: { type: string }\n'), message: 'y' }, ann), 'undeclared_param');
    assert.match(undeclared.message, /^y\.prompt:6:8: `customer` is not a declared param/);
  });

  it('refuses a change to a partial that breaks a prompt including it', async () => {
    // welcome uses {{team}} only through signature's declaration; make welcome use it directly first
    const w = store.versions('welcome')[0].sha;
    await store.commitPrompt('welcome', { content: text('Hi {{name}} from {{team}}.\n{{> signature}}', '  name: { type: string }\n'), base: w, message: 'team in welcome' }, ann);
    const s = store.versions('signature')[0].sha;
    const error = await rejects(store.commitPrompt('signature', { content: text('— the team'), base: s, message: 'drop team' }, ann), 'undeclared_param');
    assert.match(error.message, /^welcome\.prompt:6:20: `team` is not a declared param.*breaks "welcome"/);
  });

  it('lists problems of prompts broken with plain git, and still accepts unrelated writes', async () => {
    const broken = makeRepo({
      bare: true,
      commits: [
        {
          files: {
            'selfy.prompt': '---\ndescription: s\n---\nS {{> selfy}}\n',
            'a.prompt': text('A {{> b}}'),
            'b.prompt': text('B {{> a}}'),
            'u.prompt': text('U {{> nope}}'),
            'p.prompt': text('P {{who}}'),
            'fine.prompt': text('fine'),
          },
        },
      ],
    });
    const other = await PromptStore.open(broken.dir, { watch: false });
    try {
      const codes = Object.fromEntries(other.listPrompts().map((p) => [p.id, (p.problems ?? []).map((x) => x.code)]));
      assert.deepEqual(codes, { a: ['partial_cycle'], b: ['partial_cycle'], fine: [], p: ['undeclared_param'], selfy: ['partial_cycle'], u: ['unknown_partial'] });
      const fine = other.versions('fine')[0].sha;
      await other.commitPrompt('fine', { content: text('still fine'), base: fine, message: 'edit fine' }, ann);
    } finally {
      await other.close();
      broken.cleanup();
    }
  });
});
