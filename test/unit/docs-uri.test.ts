/**
 * Runs the examples of docs/uri.md: every table after a `<!-- test:NAME -->` marker. The
 * example history is read from the doc too, so the doc cannot drift from what it shows.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expandReference, formatPromptUri, pinnedUri, type ParsedPromptUri } from '../../core/uri';
import { resolveVersion, type PromptCommit, type VersionSource } from '../../core/version';

const doc = readFileSync(path.join(__dirname, '../../docs/uri.md'), 'utf8');
const options = {
  defaults: { host: 'localhost:7070', repo: 'demo' },
  aliases: { ONBOARDING: 'prompt://localhost:7070/demo/welcome/production?tier=free' },
};

/** Rows of the table that follows the marker, header and separator skipped. */
function table(name: string): string[][] {
  const lines = doc.split('\n');
  const at = lines.indexOf(`<!-- test:${name} -->`);
  assert.ok(at >= 0, `docs/uri.md has no table marked test:${name}`);
  const rows: string[][] = [];
  for (let i = at + 3; lines[i]?.startsWith('|'); i++) rows.push(lines[i].slice(1, -1).split('|').map((cell) => cell.trim()));
  assert.ok(rows.length > 0, `the table marked test:${name} is empty`);
  return rows;
}

/** The contents of the `code` spans of a cell, spaces kept. */
function code(cell: string): string[] {
  return [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
}

function parse(reference: string): ParsedPromptUri {
  return expandReference(reference, options);
}

function exampleSource(): VersionSource {
  const commits = table('commits').map(([sha, parent, changes]) => ({ sha: code(sha)[0], parent: code(parent)[0], changes: changes.startsWith('yes') }));
  const full = (prefix: string) => {
    const found = commits.filter((c) => c.sha.startsWith(prefix));
    assert.equal(found.length, 1, `the example history has no single commit ${prefix}`);
    return found[0].sha;
  };
  const parent = new Map(commits.map((c) => [c.sha, c.parent && full(c.parent)]));
  const changed = new Set(commits.filter((c) => c.changes).map((c) => c.sha));
  const historyAt = (at: string): PromptCommit[] => {
    const history: PromptCommit[] = [];
    for (let s: string | undefined = at; s; s = parent.get(s)) {
      if (changed.has(s)) history.push({ sha: s, author: 'Ada', date: '2026-01-01T00:00:00Z', message: `edit ${s.slice(0, 7)}` });
    }
    return history;
  };
  const source: VersionSource = { defaultBranch: '', branches: {}, labels: {}, releases: {}, historyAt, matchSha: (prefix) => commits.map((c) => c.sha).filter((s) => s.startsWith(prefix)) };
  for (const [ref, target] of table('refs')) {
    const [kind] = ref.split(' ');
    const [name] = code(ref);
    const sha = full(code(target)[0]);
    if (kind === 'branch') source.branches[name] = historyAt(sha);
    else if (kind === 'release') source.releases[name] = sha;
    else if (kind === 'label') source.labels[name] = sha;
    else assert.fail(`unknown ref kind in the example history: ${ref}`);
    if (ref.includes('default branch')) source.defaultBranch = name;
  }
  return source;
}

describe('docs/uri.md examples', () => {
  describe('parsing', () => {
    for (const [reference, host, repo, id, version, params] of table('parse')) {
      const text = code(reference)[0];
      it(`reads ${text}`, () => {
        const parsed = parse(text);
        assert.deepEqual(parsed.errors, []);
        assert.deepEqual(parsed.uri, {
          host: code(host)[0],
          repo: code(repo)[0],
          id: code(id)[0],
          ...(code(version).length ? { version: code(version)[0] } : {}),
          params: JSON.parse(code(params)[0]),
        });
      });
    }
  });

  describe('resolution against the example history', () => {
    const source = exampleSource();
    for (const [specs, expected, outcome] of table('resolve')) {
      for (const spec of code(specs)) {
        it(`${spec} → ${expected} (${outcome})`, () => {
          const result = resolveVersion(spec, source);
          if (result.ok) {
            assert.equal(result.kind, outcome);
            assert.ok(result.sha.startsWith(code(expected)[0]), `${spec} resolved to ${result.sha}`);
          } else {
            assert.equal(result.code, outcome, result.message);
            code(expected).forEach((candidate, i) => assert.ok(result.candidates[i]?.startsWith(candidate), `candidate ${i} of ${JSON.stringify(result.candidates)} should start with ${candidate}`));
          }
        });
      }
    }

    for (const [reference, canonical] of table('pinned')) {
      const text = code(reference)[0];
      it(`pins ${text}`, () => {
        const uri = parse(text).uri!;
        const result = resolveVersion(uri.version, source);
        assert.ok(result.ok);
        assert.equal(pinnedUri(uri, result.sha), code(canonical)[0]);
      });
    }
  });

  describe('formatting', () => {
    for (const [reference, written] of table('format')) {
      const text = code(reference)[0];
      it(`writes ${text} as ${code(written)[0]}`, () => {
        const formatted = formatPromptUri(parse(text).uri!);
        assert.equal(formatted, code(written)[0]);
        assert.equal(formatPromptUri(parse(formatted).uri!), formatted);
      });
    }
  });

  describe('errors', () => {
    for (const [reference, errorCode, covers] of table('errors')) {
      const text = code(reference)[0];
      it(`${text} → ${errorCode}`, () => {
        const parsed = parse(text);
        assert.deepEqual(parsed.errors.map((e) => e.code), [errorCode], JSON.stringify(parsed.errors));
        const { start, end } = parsed.errors[0].range;
        if (covers === '(empty)') assert.equal(start, end);
        else assert.equal(text.slice(start, end), code(covers)[0]);
      });
    }
  });

  it('lists every error code the parser and resolver use', () => {
    const listed = new Set(table('errors').map((row) => row[1]));
    for (const codeName of ['invalid_scheme', 'missing_host', 'invalid_host', 'missing_repo', 'invalid_repo', 'missing_id', 'invalid_id', 'invalid_version', 'invalid_encoding', 'invalid_param', 'duplicate_param', 'invalid_fragment', 'too_long', 'version_not_found', 'ambiguous_version']) {
      assert.ok(doc.includes(`\`${codeName}\``), `docs/uri.md does not explain ${codeName}`);
    }
    assert.ok(listed.size >= 8);
  });
});
