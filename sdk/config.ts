/**
 * Options of the prompt client, and how `PromptClient.fromConfig()` finds them: a
 * `promptforge.config.{yaml,yml,json}` file (from the working folder upward, or a given
 * path) overlaid with `PROMPTFORGE_*` environment variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { BreakerOptions } from './breaker';
import type { ParamSchema } from '../core/promptFile';
import type { UsageOptions } from './usageQueue';

/** A forge over HTTP. */
export interface RemoteHost {
  /** A forge's URL, or several serving the same repos (a primary and its replicas), tried in order. */
  url: string | string[];
  apiKey?: string;
}

/** A local git repo folder (or a folder of repos) served inside the app: no server. */
export interface LocalHost {
  path: string;
}

export type HostConfig = RemoteHost | LocalHost;

/** A prompt the app ships, used only when neither forge, cache nor snapshot can answer. */
export interface FallbackPrompt {
  template: string;
  type?: 'text' | 'chat';
  params?: Record<string, ParamSchema>;
}

export interface FallbackOptions {
  /** Templates by `ID` or `REPO/ID`. */
  prompts?: Record<string, string | FallbackPrompt>;
  /** A folder of `.prompt` files shipped with the app (ID = file stem), read when first needed. */
  folder?: string;
  /** A snapshot file shipped with the app (the format the `snapshot` option writes). */
  snapshot?: string;
}

export interface PromptClientOptions {
  /** HOST (as written in URIs, e.g. `localhost:7070`) → where that forge is. */
  hosts?: Record<string, HostConfig>;
  /** Completes short references (`ID:VERSION`, `REPO/ID`) and supplies default params. */
  defaults?: { host?: string; repo?: string; version?: string; params?: Record<string, unknown> };
  /** Names apps use instead of a URI: `ONBOARDING` → `prompt://…`. */
  aliases?: Record<string, string>;
  fallbacks?: FallbackOptions;
  cache?: {
    /** How long a movable reference (label, branch, HEAD, range) is fresh. Default 60000. */
    ttlMs?: number;
    /** Bound of the LRU. Default 1000. */
    maxEntries?: number;
  };
  /** Per-request limit for the forge. Default 2000. */
  timeoutMs?: number;
  breaker?: BreakerOptions;
  /** Opt-in last-known-good snapshot file, loaded at start and rewritten as prompts arrive. */
  snapshot?: string;
  usage?: UsageOptions;
  /** Follow the forge's event stream so promotions reach the app at once. Default true. */
  liveUpdates?: boolean;
  /** Told about background failures (refreshes, event stream, usage flushes); never thrown. */
  onError?: (error: unknown) => void;
}

export const CONFIG_FILES = ['promptforge.config.yaml', 'promptforge.config.yml', 'promptforge.config.json'];

export interface FromConfigOptions {
  /** The config file; default: searched from `cwd` upward. */
  path?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Applied last, over file and environment. */
  overrides?: PromptClientOptions;
}

/** Reads the config file (if any) and the environment into client options. */
export function loadConfig(options: FromConfigOptions = {}): PromptClientOptions {
  const env = options.env ?? process.env;
  const file = options.path ?? env.PROMPTFORGE_CONFIG ?? findConfigFile(options.cwd ?? process.cwd());
  const fromFile = file ? readConfigFile(resolve(options.cwd ?? process.cwd(), file)) : {};
  return merge(merge(fromFile, fromEnv(env, fromFile)), options.overrides ?? {});
}

export function findConfigFile(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function readConfigFile(file: string): PromptClientOptions {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`cannot read prompt client config ${file}: ${(error as Error).message}`);
  }
  if (raw == null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`prompt client config ${file} must be a mapping of options`);
  return relativeTo(dirname(file), raw as PromptClientOptions);
}

/** Paths in a config file are relative to the file, not to wherever the app started. */
function relativeTo(dir: string, options: PromptClientOptions): PromptClientOptions {
  const at = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : join(dir, p));
  const hosts = options.hosts && Object.fromEntries(Object.entries(options.hosts).map(([name, h]) => [name, 'path' in h ? { ...h, path: at(h.path)! } : h]));
  const fallbacks = options.fallbacks && { ...options.fallbacks, folder: at(options.fallbacks.folder), snapshot: at(options.fallbacks.snapshot) };
  return { ...options, hosts, fallbacks, snapshot: at(options.snapshot) };
}

function fromEnv(env: Record<string, string | undefined>, base: PromptClientOptions): PromptClientOptions {
  const out: PromptClientOptions = {};
  const defaults: NonNullable<PromptClientOptions['defaults']> = {};
  if (env.PROMPTFORGE_HOST) defaults.host = env.PROMPTFORGE_HOST;
  if (env.PROMPTFORGE_REPO) defaults.repo = env.PROMPTFORGE_REPO;
  if (env.PROMPTFORGE_VERSION) defaults.version = env.PROMPTFORGE_VERSION;
  const hosts: Record<string, HostConfig> = {};
  if (env.PROMPTFORGE_URL) {
    // The URL names the default host; without one, its host:port becomes it.
    const host = defaults.host ?? base.defaults?.host ?? new URL(env.PROMPTFORGE_URL).host;
    defaults.host ??= host;
    hosts[host] = { url: env.PROMPTFORGE_URL };
  }
  if (env.PROMPTFORGE_API_KEY) {
    for (const [name, host] of Object.entries({ ...base.hosts, ...hosts })) {
      if ('url' in host && !host.apiKey) hosts[name] = { ...host, apiKey: env.PROMPTFORGE_API_KEY };
    }
  }
  if (Object.keys(hosts).length) out.hosts = hosts;
  if (Object.keys(defaults).length) out.defaults = defaults;
  if (env.PROMPTFORGE_TIMEOUT_MS) out.timeoutMs = number('PROMPTFORGE_TIMEOUT_MS', env.PROMPTFORGE_TIMEOUT_MS);
  if (env.PROMPTFORGE_SNAPSHOT) out.snapshot = env.PROMPTFORGE_SNAPSHOT;
  if (env.PROMPTFORGE_LIVE_UPDATES) out.liveUpdates = flag('PROMPTFORGE_LIVE_UPDATES', env.PROMPTFORGE_LIVE_UPDATES);
  if (env.PROMPTFORGE_USAGE) out.usage = { enabled: flag('PROMPTFORGE_USAGE', env.PROMPTFORGE_USAGE) };
  return out;
}

function number(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of milliseconds, got "${value}"`);
  return n;
}

function flag(name: string, value: string): boolean {
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

/** Later wins; nested option groups merge one level deep. */
function merge(a: PromptClientOptions, b: PromptClientOptions): PromptClientOptions {
  const out: PromptClientOptions = { ...a, ...b };
  for (const key of ['hosts', 'defaults', 'aliases', 'fallbacks', 'cache', 'breaker', 'usage'] as const) {
    if (a[key] || b[key]) (out as Record<string, unknown>)[key] = { ...a[key], ...b[key] };
  }
  return out;
}
