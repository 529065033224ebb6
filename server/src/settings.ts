/**
 * The effective configuration: `promptforge` settings (or initializationOptions) with
 * defaults applied and anything malformed dropped, so features never check shapes.
 */
import { defaultLintSeverity, DiagnosticCode, type LintSeverity } from './diagnostics/codes';
import type { HostConfig, PromptForgeSettings } from './protocol';

export interface Settings {
  hosts: Record<string, HostConfig>;
  defaultHost?: string;
  defaultRepo?: string;
  defaultVersion: string;
  aliases: Record<string, string>;
  aliasNames: ReadonlySet<string>;
  lint: Record<DiagnosticCode, LintSeverity>;
  sdkCallPatterns: string[];
}

const severities = new Set<LintSeverity>(['ignore', 'info', 'warning', 'error']);

export function readSettings(raw: unknown): Settings {
  const input = (isObject(raw) ? raw : {}) as PromptForgeSettings;
  const hosts: Record<string, HostConfig> = {};
  for (const [name, config] of Object.entries<unknown>(isObject(input.hosts) ? input.hosts : {})) {
    if (isObject(config) && typeof config.url === 'string') hosts[name] = { url: config.url };
    else if (isObject(config) && typeof config.path === 'string') hosts[name] = { path: config.path };
  }
  const aliases: Record<string, string> = {};
  for (const [name, uri] of Object.entries(isObject(input.aliases) ? input.aliases : {})) if (typeof uri === 'string') aliases[name] = uri;
  const lint = { ...defaultLintSeverity };
  const given = isObject(input.lint) ? input.lint : {};
  for (const code of Object.values(DiagnosticCode)) {
    const value = (given as Record<string, unknown>)[code];
    if (typeof value === 'string' && severities.has(value as LintSeverity)) lint[code] = value as LintSeverity;
  }
  const onlyHost = Object.keys(hosts).length === 1 ? Object.keys(hosts)[0] : undefined;
  const defaultHost = typeof input.defaultHost === 'string' ? input.defaultHost : onlyHost;
  return {
    hosts,
    ...(defaultHost ? { defaultHost } : {}),
    ...(typeof input.defaultRepo === 'string' ? { defaultRepo: input.defaultRepo } : {}),
    defaultVersion: typeof input.defaultVersion === 'string' && input.defaultVersion ? input.defaultVersion : 'HEAD',
    aliases,
    aliasNames: new Set(Object.keys(aliases)),
    lint,
    sdkCallPatterns: Array.isArray(input.sdkCallPatterns) ? input.sdkCallPatterns.filter((p): p is string => typeof p === 'string') : [],
  };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
