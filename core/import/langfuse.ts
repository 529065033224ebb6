/**
 * Langfuse's prompt export: a JSON array of prompt versions as its API returns them
 * (`name`, `version`, `type` text|chat, `prompt` a string or `[{role, content}]`,
 * `config`, `labels`, `tags`, `commitMessage`), or a page `{ data: [...] }`. Each prompt
 * becomes one with every version in order; its labels become labels (`latest` is HEAD).
 */
import type { ChatRole } from '../chat';
import { convertPlaceholders } from './placeholders';
import { addPrompt, chatBody, idFrom, promptText, type ImportPlan, type PlannedVersion } from './plan';

interface LangfuseVersion {
  name?: unknown;
  version?: unknown;
  type?: unknown;
  prompt?: unknown;
  config?: unknown;
  labels?: unknown;
  tags?: unknown;
  commitMessage?: unknown;
}

const ROLES: ChatRole[] = ['system', 'user', 'assistant'];
const ROLE_ALIASES: Record<string, ChatRole> = { developer: 'system' };

export function planLangfuse(json: string, plan: ImportPlan = { prompts: [], skipped: [] }): ImportPlan {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const rows = Array.isArray(data) ? data : Array.isArray((data as { data?: unknown })?.data) ? (data as { data: unknown[] }).data : undefined;
  if (!rows) throw new Error('expected a JSON array of prompt versions (Langfuse export), or { "data": [...] }');
  const byName = new Map<string, LangfuseVersion[]>();
  rows.forEach((row, i) => {
    const v = row as LangfuseVersion;
    if (typeof v?.name !== 'string' || typeof v.version !== 'number') {
      plan.skipped.push({ source: `langfuse entry ${i + 1}`, reason: 'it has no `name` and numeric `version`' });
      return;
    }
    byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  });
  for (const [name, versions] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const source = `langfuse:${name}`;
    const id = idFrom(name.split('/').pop() ?? name);
    if (!id) {
      plan.skipped.push({ source, reason: `"${name}" cannot become a prompt id (letters, digits, ".", "_" and "-")` });
      continue;
    }
    versions.sort((a, b) => (a.version as number) - (b.version as number));
    const planned: PlannedVersion[] = [];
    let failure: string | undefined;
    for (const v of versions) {
      const made = versionFile(v);
      if (typeof made === 'string') {
        failure = `version ${v.version as number}: ${made}`;
        break;
      }
      const labels = (Array.isArray(v.labels) ? v.labels : []).filter((l): l is string => typeof l === 'string' && l !== 'latest');
      planned.push({ content: made.content, message: typeof v.commitMessage === 'string' && v.commitMessage ? v.commitMessage : `Import ${name} version ${v.version as number} from Langfuse`, labels });
    }
    if (failure) plan.skipped.push({ source, reason: failure });
    else addPrompt(plan, { id, source, versions: planned });
  }
  return plan;
}

function versionFile(v: LangfuseVersion): { content: string } | string {
  const tags = Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string') : [];
  const config = typeof v.config === 'object' && v.config !== null && !Array.isArray(v.config) ? (v.config as Record<string, unknown>) : {};
  const { model, ...settings } = config;
  const meta = { tags, model: { ...(typeof model === 'string' ? { name: model } : {}), ...settings } };
  if (v.type === 'chat' || Array.isArray(v.prompt)) {
    if (!Array.isArray(v.prompt)) return 'a chat prompt needs a list of messages';
    const messages: { role: ChatRole; content: string }[] = [];
    for (const m of v.prompt as { role?: unknown; content?: unknown; type?: unknown; name?: unknown }[]) {
      if (m?.type === 'placeholder') return `the message placeholder "${String(m.name)}" (a list of messages inserted at run time) has no equivalent in a .prompt file`;
      const role = typeof m?.role === 'string' ? (ROLES.includes(m.role as ChatRole) ? (m.role as ChatRole) : ROLE_ALIASES[m.role]) : undefined;
      if (!role || typeof m.content !== 'string') return `a message with role ${JSON.stringify(m?.role)} cannot be a system, user or assistant message`;
      messages.push({ role, content: m.content });
    }
    const converted = convertPlaceholders(chatBody(messages));
    return converted.ok ? { content: promptText(converted.value, { ...meta, type: 'chat' }) } : converted.reason;
  }
  if (typeof v.prompt !== 'string') return '`prompt` must be text or a list of messages';
  const converted = convertPlaceholders(v.prompt);
  return converted.ok ? { content: promptText(converted.value, meta) } : converted.reason;
}
