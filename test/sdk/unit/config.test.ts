import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../sdk/config';

describe('sdk config loading', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pf-sdk-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds promptforge.config.yaml from a sub-folder upward and makes its paths relative to it', () => {
    writeFileSync(
      join(dir, 'promptforge.config.yaml'),
      'hosts:\n  local: { path: ./repos }\n  forge:7070: { url: "http://127.0.0.1:7070" }\ndefaults: { host: local, repo: demo }\nsnapshot: .promptforge/snap.json\nfallbacks: { folder: prompts }\n',
    );
    const sub = join(dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const options = loadConfig({ cwd: sub, env: {} });
    assert.deepEqual(options.hosts, { local: { path: join(dir, 'repos') }, 'forge:7070': { url: 'http://127.0.0.1:7070' } });
    assert.deepEqual(options.defaults, { host: 'local', repo: 'demo' });
    assert.equal(options.snapshot, join(dir, '.promptforge/snap.json'));
    assert.equal(options.fallbacks?.folder, join(dir, 'prompts'));
  });

  it('lets PROMPTFORGE_* variables override the file, and overrides win over both', () => {
    writeFileSync(join(dir, 'promptforge.config.json'), JSON.stringify({ hosts: { 'h:1': { url: 'http://a' } }, defaults: { host: 'h:1', repo: 'r1', version: 'staging' }, timeoutMs: 100 }));
    const options = loadConfig({
      cwd: dir,
      env: { PROMPTFORGE_URL: 'http://b:9', PROMPTFORGE_API_KEY: 'secret', PROMPTFORGE_REPO: 'r2', PROMPTFORGE_TIMEOUT_MS: '250', PROMPTFORGE_LIVE_UPDATES: 'off' },
      overrides: { defaults: { version: 'production' } },
    });
    assert.deepEqual(options.hosts, { 'h:1': { url: 'http://b:9', apiKey: 'secret' } });
    assert.deepEqual(options.defaults, { host: 'h:1', repo: 'r2', version: 'production' });
    assert.equal(options.timeoutMs, 250);
    assert.equal(options.liveUpdates, false);
  });

  it('names the default host after the URL when nothing else names it', () => {
    const options = loadConfig({ cwd: dir, env: { PROMPTFORGE_URL: 'http://localhost:7070' } });
    assert.deepEqual(options.hosts, { 'localhost:7070': { url: 'http://localhost:7070' } });
    assert.equal(options.defaults?.host, 'localhost:7070');
  });

  it('says which variable or file is wrong', () => {
    assert.throws(() => loadConfig({ cwd: dir, env: { PROMPTFORGE_TIMEOUT_MS: 'soon' } }), /PROMPTFORGE_TIMEOUT_MS must be a positive number of milliseconds, got "soon"/);
    assert.throws(() => loadConfig({ cwd: dir, env: { PROMPTFORGE_USAGE: 'maybe' } }), /PROMPTFORGE_USAGE must be true or false, got "maybe"/);
    const bad = join(dir, 'promptforge.config.yaml');
    writeFileSync(bad, 'hosts: [1, 2');
    assert.throws(() => loadConfig({ cwd: dir, env: {} }), new RegExp(`cannot read prompt client config ${bad}`));
    writeFileSync(bad, '- a list\n');
    assert.throws(() => loadConfig({ cwd: dir, env: {} }), /must be a mapping of options/);
  });
});
