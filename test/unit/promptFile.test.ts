import { strict as assert } from 'node:assert';
import { parsePromptFile, promptIdFromPath, serializePromptFile, type PromptFile } from '../../core/promptFile';
import type { Range } from '../../core/text';

/** Strips `⟦` and `⟧` from `marked` and returns the text with the range they enclosed. */
function mark(marked: string): { text: string; range: Range } {
  const start = marked.indexOf('⟦');
  const end = marked.indexOf('⟧') - 1;
  return { text: marked.replace('⟦', '').replace('⟧', ''), range: { start, end } };
}

const welcome = `---
description: Greets a new user
params:
  app_name: { type: string, required: true, description: Product name }
  tier:     { type: string, enum: [free, premium], default: free }
tags: [onboarding]
model: { name: gpt-4o-mini, temperature: 0.2 }
status: active            # draft | active | deprecated
---
Welcome to {{app_name}}! You are on the {{tier}} plan.
{{> signature}}
`;

describe('parsePromptFile', () => {
  it('reads every front matter key of a full file', () => {
    const { file, problems } = parsePromptFile(welcome);
    assert.deepEqual(problems, []);
    assert.equal(file.type, 'text');
    assert.equal(file.description, 'Greets a new user');
    assert.deepEqual(file.params, {
      app_name: { type: 'string', required: true, description: 'Product name' },
      tier: { type: 'string', enum: ['free', 'premium'], default: 'free' },
    });
    assert.deepEqual(file.tags, ['onboarding']);
    assert.deepEqual(file.model, { name: 'gpt-4o-mini', temperature: 0.2 });
    assert.equal(file.status, 'active');
    assert.equal(file.body, 'Welcome to {{app_name}}! You are on the {{tier}} plan.\n{{> signature}}\n');
    assert.equal(welcome.slice(file.bodyStart), file.body);
  });

  it('gives editors the ranges of the front matter, its keys and param names', () => {
    const { file } = parsePromptFile(welcome);
    const text = (r: Range | undefined) => (r ? welcome.slice(r.start, r.end) : undefined);
    assert.equal(text(file.ranges.frontMatter), welcome.slice(4, welcome.indexOf('---\nWelcome')));
    assert.deepEqual(Object.keys(file.ranges.keys), ['description', 'params', 'tags', 'model', 'status']);
    assert.equal(text(file.ranges.keys.status), 'status');
    assert.equal(text(file.ranges.params.tier), 'tier');
    assert.equal(file.ranges.params.tier.start, welcome.indexOf('tier:'));
  });

  const shapes: [name: string, text: string, body: string, bodyStart: number][] = [
    ['no front matter: the whole text is the body', 'Hello {{name}}\n', 'Hello {{name}}\n', 0],
    ['an empty front matter', '---\n---\nHi', 'Hi', 8],
    ['a front matter of comments only', '---\n# nothing yet\n---\nHi', 'Hi', 22],
    ['a closing fence at the end of the text', '---\ntags: [a]\n---', '', 17],
    ['CRLF line ends', '---\r\ntags: [a]\r\n---\r\nHi\r\n', 'Hi\r\n', 21],
    ['a byte order mark', '\uFEFF---\n---\nHi', 'Hi', 9],
    ['a fence with trailing spaces', '---  \n---\t\nHi', 'Hi', 11],
    ['`---` later in the body is text', 'Hi\n---\nthere', 'Hi\n---\nthere', 0],
    ['a body that starts with a fence-like line', '---\n---\n---\nx', '---\nx', 8],
  ];
  for (const [name, text, body, bodyStart] of shapes) {
    it(`parses ${name}`, () => {
      const { file, problems } = parsePromptFile(text);
      assert.deepEqual(problems, []);
      assert.equal(file.body, body);
      assert.equal(file.bodyStart, bodyStart);
    });
  }

  const problemCases: [name: string, marked: string, code: string, severity?: 'warning'][] = [
    ['an unknown top-level key, kept', '---\n⟦owner⟧: me\n---\n', 'unknown_key', 'warning'],
    ['a front matter never closed', '⟦---⟧\ntags: [a]\nHello', 'unclosed_front_matter'],
    ['a front matter that is a list', '---\n⟦- a\n- b⟧\n---\n', 'invalid_front_matter'],
    ['a front matter that is a scalar', '---\n⟦hello⟧\n---\n', 'invalid_front_matter'],
    ['a bad status', '---\nstatus: ⟦live⟧\n---\n', 'invalid_status'],
    ['a bad type', '---\ntype: ⟦completion⟧\n---\n', 'invalid_type'],
    ['tags that are not a list', '---\ntags: ⟦onboarding⟧\n---\n', 'invalid_tags'],
    ['tags that are not strings', '---\ntags: ⟦[a, [b]]⟧\n---\n', 'invalid_tags'],
    ['a model that is not a mapping', '---\nmodel: ⟦gpt-4o⟧\n---\n', 'invalid_model'],
    ['a description that is not a string', '---\ndescription: ⟦[a]⟧\n---\n', 'invalid_description'],
    ['params that are a list', '---\nparams: ⟦[a, b]⟧\n---\n', 'invalid_params'],
    ['a param with an unknown type', '---\nparams:\n  n: { type: ⟦float⟧ }\n---\n', 'invalid_param_schema'],
    ['a param without a type', '---\nparams:\n  ⟦n⟧: { required: true }\n---\n', 'invalid_param_schema'],
    ['a param whose schema is a scalar', '---\nparams:\n  n: ⟦string⟧\n---\n', 'invalid_param_schema'],
    ['an enum that is not a list', '---\nparams:\n  n: { type: string, enum: ⟦free⟧ }\n---\n', 'invalid_param_schema'],
    ['an empty enum', '---\nparams:\n  n: { type: string, enum: ⟦[]⟧ }\n---\n', 'invalid_param_schema'],
    ['an enum value of the wrong type', '---\nparams:\n  n: { type: integer, enum: ⟦[1, 2.5]⟧ }\n---\n', 'invalid_param_schema'],
    ['a default of the wrong type', '---\nparams:\n  n: { type: number, default: ⟦"3"⟧ }\n---\n', 'invalid_param_schema'],
    ['a default outside the enum', '---\nparams:\n  n: { type: string, enum: [a, b], default: ⟦c⟧ }\n---\n', 'invalid_param_schema'],
    ['a non-boolean required', '---\nparams:\n  n: { type: string, required: ⟦yes please⟧ }\n---\n', 'invalid_param_schema'],
    ['a non-string param description', '---\nparams:\n  n: { type: string, description: ⟦42⟧ }\n---\n', 'invalid_param_schema'],
    ['an unknown key in a param', '---\nparams:\n  n: { type: string, ⟦requried⟧: true }\n---\n', 'unknown_param_key', 'warning'],
    ['a param name with a dot', '---\nparams:\n  ⟦user.name⟧: { type: string }\n---\n', 'invalid_param_name'],
    ['a param name starting with a digit', '---\nparams:\n  ⟦1st⟧: { type: string }\n---\n', 'invalid_param_name'],
    ['an unclosed flow mapping', '---\nmodel: { name: x\n⟦⟧---\n', 'invalid_yaml'],
    ['a duplicate key', '---\ntags: [a]\n⟦t⟧ags: [b]\n---\n', 'invalid_yaml'],
    ['a tab indentation', '---\nparams:\n⟦\t⟧n: {type: string}\n---\n', 'invalid_yaml'],
    ['an unclosed section in the body', '---\n---\nHi ⟦{{#items}}⟧ there', 'unclosed_section'],
    ['an unclosed tag in the body', '---\n---\nHi ⟦{{⟧name', 'unclosed_tag'],
  ];
  for (const [name, marked, code, severity = 'error'] of problemCases) {
    it(`reports ${name} as ${code} at the exact range`, () => {
      const { text, range } = mark(marked);
      const { problems } = parsePromptFile(text);
      assert.deepEqual(
        problems.map((p) => ({ code: p.code, severity: p.severity, text: text.slice(p.range.start, p.range.end) })),
        [{ code, severity, text: text.slice(range.start, range.end) }],
      );
      assert.deepEqual(problems[0].range, range);
    });
  }

  it('names the line and column of bad YAML in the message', () => {
    const { problems } = parsePromptFile('---\ndescription: ok\nmodel: { name: x }}\n---\n');
    assert.match(problems[0].message, /\(line 3, column 19\)/);
  });

  it('names the param and the allowed types in a schema error', () => {
    const { problems } = parsePromptFile('---\nparams:\n  count: { type: float }\n---\n');
    assert.match(problems[0].message, /`count`.*"float".*string, number, integer, boolean, array, object/);
  });

  it('keeps a best-effort file when there are errors', () => {
    const { file, problems } = parsePromptFile('---\nstatus: live\ntags: [a]\nowner: me\nparams:\n  n: { type: float }\n  m: { type: integer, default: 2 }\n---\nBody');
    assert.deepEqual(problems.map((p) => p.code), ['invalid_status', 'unknown_key', 'invalid_param_schema']);
    assert.equal(file.status, 'active');
    assert.deepEqual(file.tags, ['a']);
    assert.deepEqual(file.params, { n: { type: 'string' }, m: { type: 'integer', default: 2 } });
    assert.deepEqual(file.data, { status: 'live', tags: ['a'], owner: 'me', params: { n: { type: 'float' }, m: { type: 'integer', default: 2 } } });
    assert.equal(file.body, 'Body');
  });

  it('accepts required together with a default', () => {
    const { file, problems } = parsePromptFile('---\nparams:\n  n: { type: integer, required: true, default: 3 }\n---\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(file.params.n, { type: 'integer', required: true, default: 3 });
  });

  it('reads every param type, statuses and the chat type', () => {
    const { file, problems } = parsePromptFile(`---
type: chat
status: deprecated
params:
  s: { type: string }
  n: { type: number, default: 1.5 }
  i: { type: integer, enum: [1, 2] }
  b: { type: boolean, default: false }
  a: { type: array, default: [x] }
  o: { type: object, default: { k: v } }
---
`);
    assert.deepEqual(problems, []);
    assert.equal(file.type, 'chat');
    assert.equal(file.status, 'deprecated');
    assert.deepEqual(Object.values(file.params).map((p) => p.type), ['string', 'number', 'integer', 'boolean', 'array', 'object']);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = '---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n';
    const { problems } = parsePromptFile(bomb);
    assert.equal(problems[0].code, 'invalid_yaml');
  });
});

describe('serializePromptFile', () => {
  it('returns the original text when nothing changed', () => {
    const { file } = parsePromptFile(welcome);
    assert.equal(serializePromptFile(file, welcome), welcome);
  });

  it('changes only the text of what changed, keeping alignment and comments', () => {
    const { file } = parsePromptFile(welcome);
    file.status = 'deprecated';
    file.params.tier = { ...file.params.tier, default: 'premium' };
    const text = serializePromptFile(file, welcome);
    assert.equal(text, welcome
      .replace('status: active', 'status: deprecated')
      .replace('{ type: string, enum: [free, premium], default: free }', '{ type: string, enum: [ free, premium ], default: premium }'));
  });

  const edits: [name: string, original: string, edit: (file: PromptFile) => void, expected: string][] = [
    ['adds a key at the end', '---\ntags: [a] # t\n---\n', (f) => (f.status = 'draft'), '---\ntags: [a] # t\nstatus: draft\n---\n'],
    ['adds a param to block params', '---\nparams:\n  a:   { type: string }\n---\n', (f) => (f.params.b = { type: 'integer' }), '---\nparams:\n  a:   { type: string }\n  b:\n    type: integer\n---\n'],
    ['rewrites a block list in block style', '---\ntags:\n  - a\n# keep\nstatus: draft\n---\n', (f) => f.tags.push('b'), '---\ntags:\n  - a\n  - b\n# keep\nstatus: draft\n---\n'],
    ['changes a field inside a block param', '---\nparams:\n  a:\n    type: string   # kind\n    required: true\n---\n', (f) => (f.params.a.required = false), '---\nparams:\n  a:\n    type: string   # kind\n    required: false\n---\n'],
    ['quotes a string that needs it', '---\ndescription: x\n---\n', (f) => (f.description = 'a: b # c'), '---\ndescription: "a: b # c"\n---\n'],
    ['writes into an empty front matter', '---\n---\nHi', (f) => (f.tags = ['a']), '---\ntags:\n  - a\n---\nHi'],
  ];
  for (const [name, original, edit, expected] of edits) {
    it(name, () => {
      const { file } = parsePromptFile(original);
      edit(file);
      assert.equal(serializePromptFile(file, original), expected);
    });
  }

  it('keeps an untouched invalid value as written', () => {
    const original = '---\nstatus: live # soon\ntags: [a]\n---\nHi';
    const { file } = parsePromptFile(original);
    file.tags = ['a', 'b'];
    const text = serializePromptFile(file, original);
    assert.match(text, /^status: live # soon$/m);
    assert.deepEqual(parsePromptFile(text).file.tags, ['a', 'b']);
  });

  it('removes keys and params that were removed, keeping unknown keys', () => {
    const original = '---\n# who\n\ndescription: Old\nowner: me\nparams:\n  a: { type: string }\n  b: { type: string } # keep\n---\n';
    const { file } = parsePromptFile(original);
    delete file.description;
    delete file.params.a;
    const text = serializePromptFile(file, original);
    assert.equal(text, '---\n# who\n\nowner: me\nparams:\n  b: { type: string } # keep\n---\n');
  });

  it('keeps CRLF line ends', () => {
    const original = '---\r\ntags: [a]\r\nstatus: draft\r\n---\r\nHi\r\n';
    const { file } = parsePromptFile(original);
    file.status = 'active';
    assert.equal(serializePromptFile(file, original), '---\r\ntags: [a]\r\nstatus: active\r\n---\r\nHi\r\n');
  });

  it('writes a new file with only what differs from the defaults', () => {
    const file: PromptFile = {
      type: 'text', params: { name: { type: 'string', required: true } }, tags: [], status: 'active',
      body: 'Hi {{name}}', bodyStart: 0, data: {}, ranges: { params: {}, keys: {} },
    };
    assert.equal(serializePromptFile(file), '---\nparams:\n  name:\n    type: string\n    required: true\n---\nHi {{name}}');
    assert.equal(serializePromptFile({ ...file, params: {} }), 'Hi {{name}}');
    assert.equal(serializePromptFile({ ...file, params: {}, body: '---\nx' }), '---\n---\n---\nx');
  });
});

describe('promptIdFromPath', () => {
  const cases: [path: string, id: string | undefined][] = [
    ['welcome.prompt', 'welcome'],
    ['a/b/welcome.prompt', 'welcome'],
    ['a\\b\\welcome.prompt', 'welcome'],
    ['./a/PROMPT001.prompt', 'PROMPT001'],
    ['a/v1.2_x-y.prompt', 'v1.2_x-y'],
    ['.git/x.prompt', undefined],
    ['a/.hidden/x.prompt', undefined],
    ['.x.prompt', undefined],
    ['welcome.prompty', undefined],
    ['welcome.prompt.bak', undefined],
    ['a/.prompt', undefined],
    ['a/has space.prompt', undefined],
  ];
  for (const [path, id] of cases) {
    it(`${path} → ${id}`, () => assert.equal(promptIdFromPath(path), id));
  }
});
