/**
 * forge.yaml, PROMPTFORGE_* environment variables and command-line flags, merged in that
 * order of strength (flags win). Every problem is one line naming the key and where it
 * was set (`forge.yaml:4:9: listen.port: …`). Repo and database paths in the file are
 * relative to the file's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import YAML, { LineCounter, isMap, isSeq, type Node } from 'yaml';
import { ROLES, isRole, type KeyEntry, type Role } from './auth';
import type { LlmConfig } from './review/llm';
import { parseHostName } from './http/hosts';
import type { WebhookTarget } from './webhooks/outbox';
import { validateRepoName } from './store';
import { defaultUsageDb } from './usage/location';

export interface ForgeConfig {
  host: string;
  port: number;
  /** repo name → absolute path of its git repository */
  repos: Map<string, string>;
  keys: KeyEntry[];
  /** SQLite file for usage events; `:memory:` keeps them in memory. Default: inside the first repo's git directory. */
  usageDb: string;
  usageRetentionDays: number;
  /** Postgres URL of a usage database shared by several forges; when set, usageDb is not used. */
  usageUrl?: string;
  /** repo name → git remote (a name or URL) every write is pushed to. */
  push: Map<string, string>;
  /** repo name → git URL this forge mirrors read-only (its path is the mirror under `dataDir`). */
  follow: Map<string, string>;
  /** The primary forge's URL, named in a replica's 421 answers. */
  primary?: string;
  /** Where a replica keeps its mirrors. Default: ./promptforge-data. */
  dataDir: string;
  /** How often a replica fetches when no hook calls it. Default 10 s. */
  fetchEveryMs: number;
  /** Replica forges (base URLs) whose fetch hook the primary calls after each push. */
  notify: string[];
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** OpenAI-compatible endpoint for prompt reviews; absent = reviews answer 503. */
  llm?: LlmConfig;
  /** Names (`host` or `host:port`) besides loopback and the bind address that requests may use in `Host`. */
  publicHosts: string[];
  /** Where events are delivered, signed as Standard Webhooks. */
  webhooks: WebhookTarget[];
  /** First webhook retry delay (doubled per attempt); default 1000. */
  webhookRetryMs?: number;
  /** The config file read, if any. */
  file: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    /** Set when a command-line flag was wrong: a usage error (exit 2), not a broken setup. */
    readonly flag = false,
  ) {
    super(message);
  }
}

export const DEFAULT_FILE = 'forge.yaml';
const DEFAULTS = { host: '127.0.0.1', port: 7070, bodyLimit: 1024 * 1024, usageRetentionDays: 90 };

/** Values given on the command line (strongest). */
export interface ConfigOverrides {
  host?: string;
  port?: string;
  repos?: string[];
  usageDb?: string;
  usageUrl?: string;
  push?: string[];
  follow?: string[];
  primary?: string;
  data?: string;
  fetchEvery?: string;
  notify?: string[];
  bodyLimit?: string;
}

export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string; overrides?: ConfigOverrides } = {}): ForgeConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const named = opts.file ?? env.PROMPTFORGE_CONFIG;
  const file = named ? resolve(cwd, named) : existsSync(resolve(cwd, DEFAULT_FILE)) ? resolve(cwd, DEFAULT_FILE) : null;
  if (named && !existsSync(file!)) throw new ConfigError(`${file}: config file not found`);

  const config: ForgeConfig = { ...DEFAULTS, repos: new Map(), keys: [], usageDb: '', publicHosts: [], webhooks: [], file, push: new Map(), follow: new Map(), dataDir: resolve(cwd, 'promptforge-data'), fetchEveryMs: 10_000, notify: [] };
  if (file) readFile(file, config, env);

  const fromEnv = (name: string, apply: (value: string, where: string) => void) => {
    const value = env[name];
    if (value !== undefined && value !== '') apply(value, name);
  };
  fromEnv('PROMPTFORGE_HOST', (v) => (config.host = v));
  fromEnv('PROMPTFORGE_PORT', (v, where) => (config.port = port(v, where)));
  fromEnv('PROMPTFORGE_REPOS', (v, where) => addRepos(config, v.split(','), where, cwd));
  fromEnv('PROMPTFORGE_USAGE_DB', (v) => (config.usageDb = dbPath(v, cwd)));
  fromEnv('PROMPTFORGE_USAGE_URL', (v, where) => (config.usageUrl = usageUrl(v, where)));
  fromEnv('PROMPTFORGE_BODY_LIMIT', (v, where) => (config.bodyLimit = size(v, where)));
  fromEnv('PROMPTFORGE_PUBLIC_HOSTS', (v, where) => config.publicHosts.push(...v.split(',').map((h) => publicHost(h, where))));
  fromEnv('PROMPTFORGE_WEBHOOK_RETRY_MS', (v, where) => (config.webhookRetryMs = integer(v, where, 1, 600_000)));

  const o = opts.overrides ?? {};
  try {
    if (o.host !== undefined) config.host = o.host;
    if (o.port !== undefined) config.port = port(o.port, '--port');
    if (o.repos) addRepos(config, o.repos, '--repo', cwd);
    if (o.usageDb !== undefined) config.usageDb = dbPath(o.usageDb, cwd);
    if (o.usageUrl !== undefined) config.usageUrl = usageUrl(o.usageUrl, '--usage-url');
    if (o.data !== undefined) config.dataDir = resolve(cwd, o.data);
    if (o.primary !== undefined) config.primary = httpUrl(o.primary, '--primary');
    if (o.fetchEvery !== undefined) config.fetchEveryMs = duration(o.fetchEvery, '--fetch-every');
    for (const n of o.notify ?? []) config.notify.push(httpUrl(n, '--notify'));
    for (const item of o.push ?? []) {
      const [name, remote] = namePair(item, '--push');
      if (!config.repos.has(name)) throw new ConfigError(`--push ${item}: no repo "${name}" is served; give --repo ${name}=PATH too`);
      config.push.set(name, remote);
    }
    for (const item of o.follow ?? []) {
      const [name, url] = namePair(item, '--follow', true);
      addFollow(config, name, url, '--follow');
    }
    if (o.bodyLimit !== undefined) config.bodyLimit = size(o.bodyLimit, '--body-limit');
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError(error.message, true) : error;
  }
  for (const name of config.follow.keys()) config.repos.set(name, join(config.dataDir, `${name}.git`));
  if (config.usageDb === '' && config.repos.size > 0) config.usageDb = defaultUsageDb([...config.repos.values()][0]);
  return config;
}

/** `NAME=VALUE`; with `nameOptional`, a bare URL is named after its last path part. */
function namePair(item: string, where: string, nameOptional = false): [string, string] {
  const eq = item.indexOf('=');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(item);
  if ((eq <= 0 || (scheme && item.indexOf('://') < eq)) && nameOptional) {
    const name = item.replace(/\/+$/, '').split(/[/:]/).pop()!.replace(/\.git$/, '');
    return [name, item];
  }
  if (eq <= 0 || eq === item.length - 1) throw new ConfigError(`${where}: "${item}" must be NAME=REMOTE`);
  return [item.slice(0, eq), item.slice(eq + 1)];
}

function addFollow(config: ForgeConfig, name: string, url: string, where: string): void {
  try {
    validateRepoName(name);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`);
  }
  if (config.push.has(name)) throw new ConfigError(`${where}: repo "${name}" cannot both follow a remote and push to one`);
  config.follow.set(name, url);
}

function usageUrl(value: string, where: string): string {
  if (!/^postgres(ql)?:\/\/\S+$/.test(value)) throw new ConfigError(`${where}: must be a Postgres URL such as postgres://forge@db.internal/promptforge (got "${value}")`);
  return value;
}

function httpUrl(value: string, where: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw new ConfigError(`${where}: must be an http(s) URL such as https://prompts.example.com (got "${value}")`);
  return value.replace(/\/+$/, '');
}

/** Milliseconds, or a number with ms/s/m. */
function duration(value: string, where: string): number {
  const match = /^(\d+)\s*(ms|s|m)?$/.exec(value.trim());
  const n = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 'ms') as 'ms'] : NaN;
  if (!match || n < 100 || n > 3_600_000) throw new ConfigError(`${where}: must be a duration from 100ms to 60m such as 500ms, 10s or 1m (got "${value}")`);
  return n;
}

function dbPath(value: string, base: string): string {
  return value === ':memory:' ? value : resolve(base, value);
}

function readFile(file: string, config: ForgeConfig, env: NodeJS.ProcessEnv): void {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined, key: string) => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return `${file}:${pos.line}:${pos.col}: ${key}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigError(`${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  if (doc.contents === null) return;
  const root = doc.contents;
  if (!isMap(root)) throw new ConfigError(`${at(root, '(top level)')}: must be a mapping of settings`);
  const base = dirname(file);
  const known = new Set(['listen', 'repos', 'keys', 'usage', 'bodyLimit', 'publicHosts', 'llm', 'webhooks', 'replication']);
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!known.has(key)) throw new ConfigError(`${at(pair.key as Node, key)}: unknown setting; expected one of ${[...known].join(', ')}`);
  }
  const get = (path: string[]) => doc.getIn(path, true) as Node | undefined;
  const scalar = (path: string[]) => {
    const node = get(path);
    if (node === undefined) return undefined;
    const value = (node as { value?: unknown }).value;
    if (value === undefined || typeof value === 'object') throw new ConfigError(`${at(node, path.join('.'))}: must be a single value`);
    return { value: String(value), where: at(node, path.join('.')) };
  };
  const mapping = (path: string[], allowed: string[]) => {
    const node = get(path);
    if (node === undefined) return;
    if (!isMap(node)) throw new ConfigError(`${at(node, path.join('.'))}: must be a mapping`);
    for (const pair of node.items) {
      const key = String((pair.key as { value?: unknown })?.value);
      if (allowed.length > 0 && !allowed.includes(key)) throw new ConfigError(`${at(pair.key as Node, [...path, key].join('.'))}: unknown setting; expected one of ${allowed.join(', ')}`);
    }
    return node;
  };

  mapping(['listen'], ['host', 'port']);
  const host = scalar(['listen', 'host']);
  if (host) config.host = host.value;
  const p = scalar(['listen', 'port']);
  if (p) config.port = port(p.value, p.where);

  const repos = mapping(['repos'], []);
  for (const pair of repos?.items ?? []) {
    const name = String((pair.key as { value?: unknown })?.value);
    const where = at(pair.key as Node, `repos.${name}`);
    if (isMap(pair.value)) {
      // The long form: {path, push} on a primary, {follow} on a replica.
      mapping(['repos', name], ['path', 'push', 'follow']);
      const path = scalar(['repos', name, 'path']);
      const push = scalar(['repos', name, 'push']);
      const follow = scalar(['repos', name, 'follow']);
      if (follow && (path || push)) fail(follow.where, 'a followed repo is a mirror kept by the forge: give follow alone, without path or push');
      if (follow) addFollow(config, name, follow.value, follow.where);
      else if (!path) fail(where, 'needs path (a git repository) or follow (a git URL to mirror)');
      else {
        addRepo(config, name, path.value, path.where, base);
        if (push) config.push.set(name, push.value);
      }
      continue;
    }
    const path = (pair.value as { value?: unknown } | null)?.value;
    if (typeof path !== 'string' || path === '') throw new ConfigError(`${where}: must be the path of a git repository, or {path, push} or {follow}`);
    addRepo(config, name, path, where, base);
  }

  mapping(['replication'], ['primary', 'data', 'fetchEvery', 'notify']);
  const primary = scalar(['replication', 'primary']);
  if (primary) config.primary = httpUrl(primary.value, primary.where);
  const data = scalar(['replication', 'data']);
  if (data) config.dataDir = resolve(base, data.value);
  const every = scalar(['replication', 'fetchEvery']);
  if (every) config.fetchEveryMs = duration(every.value, every.where);
  const notify = get(['replication', 'notify']);
  if (notify !== undefined) {
    if (!isSeq(notify)) fail(at(notify, 'replication.notify'), 'must be a list of replica URLs');
    notify.items.forEach((item, i) => config.notify.push(httpUrl(String((item as { value?: unknown }).value), at(item as Node, `replication.notify[${i}]`))));
  }

  const keys = get(['keys']);
  if (keys !== undefined) {
    if (!isSeq(keys)) throw new ConfigError(`${at(keys, 'keys')}: must be a list of {name, role, hash}`);
    keys.items.forEach((item, i) => config.keys.push(keyEntry(item as Node, `keys[${i}]`, at, config.keys)));
  }

  mapping(['usage'], ['db', 'url', 'retentionDays']);
  const db = scalar(['usage', 'db']);
  if (db) config.usageDb = dbPath(db.value, base);
  const url = scalar(['usage', 'url']);
  if (url) config.usageUrl = usageUrl(url.value, url.where);
  const retention = scalar(['usage', 'retentionDays']);
  if (retention) config.usageRetentionDays = integer(retention.value, retention.where, 0, 36500);

  const hosts = get(['publicHosts']);
  if (hosts !== undefined) {
    if (!isSeq(hosts)) throw new ConfigError(`${at(hosts, 'publicHosts')}: must be a list of host names, such as [prompts.example.com, "prompts.internal:8443"]`);
    hosts.items.forEach((item, i) => {
      const value = (item as { value?: unknown }).value;
      config.publicHosts.push(publicHost(typeof value === 'string' ? value : '', at(item as Node, `publicHosts[${i}]`), value));
    });
  }

  const limit = scalar(['bodyLimit']);
  if (limit) config.bodyLimit = size(limit.value, limit.where);

  const llm = mapping(['llm'], ['url', 'model', 'apiKeyEnv', 'timeoutMs', 'temperature']);
  if (llm) {
    const need = (key: string) => scalar(['llm', key]) ?? fail(at(llm, `llm.${key}`), 'is required in llm');
    const url = need('url');
    if (!/^https?:\/\//.test(url.value)) fail(url.where, `must be an http(s) URL such as https://api.openai.com/v1 (got "${url.value}")`);
    const keyEnv = scalar(['llm', 'apiKeyEnv']);
    const timeout = scalar(['llm', 'timeoutMs']);
    const temperature = scalar(['llm', 'temperature']);
    const t = temperature ? Number(temperature.value) : undefined;
    if (t !== undefined && !(t >= 0 && t <= 2)) fail(temperature!.where, `must be a number from 0 to 2 (got "${temperature!.value}")`);
    config.llm = {
      url: url.value,
      model: need('model').value,
      ...(keyEnv && env[keyEnv.value] ? { apiKey: env[keyEnv.value] } : {}),
      ...(timeout ? { timeoutMs: integer(timeout.value, timeout.where, 1, 600_000) } : {}),
      ...(t !== undefined ? { temperature: t } : {}),
    };
  }

  const hooks = get(['webhooks']);
  if (hooks !== undefined) {
    if (!isSeq(hooks)) fail(at(hooks, 'webhooks'), 'must be a list of {url, secret or secretEnv, events}');
    hooks.items.forEach((item, i) => config.webhooks.push(webhookTarget(item as Node, `webhooks[${i}]`, at, env)));
  }
}

const WEBHOOK_EVENTS = ['version.created', 'label.moved', 'release.created', 'tests.completed', 'request.*', 'request.created', 'request.approved', 'request.rejected', 'request.applied', 'experiment.*', '*'];

function webhookTarget(node: Node, key: string, at: (n: Node | null | undefined, k: string) => string, env: NodeJS.ProcessEnv): WebhookTarget {
  if (!isMap(node)) fail(at(node, key), 'must be a mapping {url, secret or secretEnv, events}');
  for (const pair of node.items) {
    const name = String((pair.key as { value?: unknown })?.value);
    if (!['url', 'secret', 'secretEnv', 'events'].includes(name)) fail(at(pair.key as Node, `${key}.${name}`), 'unknown setting; expected one of url, secret, secretEnv, events');
  }
  const url = node.get('url');
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) fail(at(node, `${key}.url`), `must be an http(s) URL (got ${JSON.stringify(url)})`);
  const secretEnv = node.get('secretEnv');
  const secret = typeof secretEnv === 'string' ? env[secretEnv] : node.get('secret');
  if (typeof secret !== 'string' || secret.length < 16) {
    fail(at(node, `${key}.${typeof secretEnv === 'string' ? 'secretEnv' : 'secret'}`), typeof secretEnv === 'string' ? `names $${secretEnv}, which holds no secret of at least 16 characters` : 'needs a secret of at least 16 characters (whsec_… as Standard Webhooks uses), or secretEnv naming a variable that holds it');
  }
  const events = node.get('events', true);
  const list = events === undefined ? [] : isSeq(events) ? events.items.map((e) => String((e as { value?: unknown }).value)) : fail(at(events as Node, `${key}.events`), 'must be a list of event types');
  for (const e of list) if (!WEBHOOK_EVENTS.includes(e) && !/^experiment\.[a-z]+$/.test(e)) fail(at(events as Node, `${key}.events`), `unknown event "${e}"; known: ${WEBHOOK_EVENTS.join(', ')}`);
  return { url, secret, events: list };
}

function fail(where: string, problem: string): never {
  throw new ConfigError(`${where}: ${problem}`);
}

function keyEntry(node: Node, key: string, at: (n: Node | null | undefined, k: string) => string, seen: KeyEntry[]): KeyEntry {
  if (!isMap(node)) throw new ConfigError(`${at(node, key)}: must be a mapping {name, role, hash}`);
  const field = (name: string) => {
    const value = node.get(name);
    if (typeof value !== 'string' || value === '') throw new ConfigError(`${at(node, `${key}.${name}`)}: missing or not text`);
    return value;
  };
  const name = field('name');
  const role = field('role');
  const hash = field('hash');
  if (!isRole(role)) throw new ConfigError(`${at(node.get('role', true) as Node, `${key}.role`)}: must be one of ${ROLES.join(', ')} (got "${role}")`);
  if (!/^sha256:[0-9a-f]{64}$/.test(hash)) throw new ConfigError(`${at(node.get('hash', true) as Node, `${key}.hash`)}: must be "sha256:" and 64 hex digits, as \`promptforge keys add\` writes it`);
  if (seen.some((k) => k.name === name)) throw new ConfigError(`${at(node.get('name', true) as Node, `${key}.name`)}: a key named "${name}" is listed twice`);
  return { name, role: role as Role, hash };
}

/** `name=path` items (from --repo or PROMPTFORGE_REPOS); a bare path takes its folder name. */
function addRepos(config: ForgeConfig, items: string[], where: string, cwd: string): void {
  for (const item of items) {
    const eq = item.indexOf('=');
    const path = eq < 0 ? item : item.slice(eq + 1);
    const name = eq < 0 ? resolve(cwd, path).split('/').pop()!.replace(/\.git$/, '') : item.slice(0, eq);
    if (!path) throw new ConfigError(`${where}: "${item}" must be NAME=PATH`);
    addRepo(config, name, path, where, cwd);
  }
}

function addRepo(config: ForgeConfig, name: string, path: string, where: string, base: string): void {
  try {
    validateRepoName(name);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`);
  }
  config.repos.set(name, isAbsolute(path) ? path : resolve(base, path));
}

function integer(value: string, where: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new ConfigError(`${where}: must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

/** A name clients may reach the forge by: `host` (any port) or `host:port`, no scheme or path. */
function publicHost(value: string, where: string, raw: unknown = value): string {
  if (!parseHostName(value)) throw new ConfigError(`${where}: must be a host name with an optional port, such as prompts.example.com or prompts.example.com:8443 (got ${JSON.stringify(raw)})`);
  return value.trim().toLowerCase();
}

function port(value: string, where: string): number {
  return integer(value, where, 0, 65535);
}

/** Bytes, or a number with kb/mb (1024-based). */
function size(value: string, where: string): number {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value.trim());
  const n = match ? Number(match[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b'] ?? 1) : NaN;
  if (!match || n < 1024 || n > 1024 ** 3) throw new ConfigError(`${where}: must be a size from 1kb to 1024mb such as 1048576 or 2mb (got "${value}")`);
  return n;
}
