/**
 * A promptfoo config: each entry of `prompts` (inline text, `file://path`, or
 * `{ id, label, raw }`) becomes a prompt, and the config's tests become that prompt's
 * `ID.test.yaml` (our suite format is promptfoo's, so they carry over as written, minus
 * the keys that name prompts and providers). File references are read through the
 * caller, which knows where the config lives.
 */
import { parseDocument } from 'yaml';
import type { ChatRole } from '../chat';
import { convertPlaceholders } from './placeholders';
import { addPrompt, chatBody, idFrom, promptText, type ImportPlan } from './plan';

const NOT_SUITE_KEYS = ['prompts', 'providers', 'outputPath', 'sharing', 'env', 'commandLineOptions', 'evaluateOptions'];

export function planPromptfoo(yaml: string, readRef: (path: string) => string, plan: ImportPlan = { prompts: [], skipped: [] }): ImportPlan {
  const doc = parseDocument(yaml, { prettyErrors: false });
  if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const config = doc.toJS() as Record<string, unknown> | null;
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new Error('a promptfoo config is a mapping with `prompts` and `tests`');
  const prompts = Array.isArray(config.prompts) ? config.prompts : typeof config.prompts === 'string' ? [config.prompts] : [];
  if (prompts.length === 0) throw new Error('the config has no `prompts`');
  const suite = Array.isArray(config.tests) || config.defaultTest !== undefined ? suiteText(config) : undefined;
  if (typeof config.tests === 'string') plan.skipped.push({ source: 'tests', reason: `tests from "${config.tests}" are not read; write them inline or import them by hand` });

  prompts.forEach((entry, i) => {
    const source = `prompts[${i}]`;
    const { text, name, error } = promptOf(entry, readRef);
    if (error !== undefined) return void plan.skipped.push({ source, reason: error });
    const id = name !== undefined ? idFrom(name) : `prompt-${i + 1}`;
    if (!id) return void plan.skipped.push({ source, reason: `"${name}" cannot become a prompt id` });
    const chat = asChat(text!);
    const converted = convertPlaceholders(chat ? chatBody(chat) : text!);
    if (!converted.ok) return void plan.skipped.push({ source, reason: converted.reason });
    const description = typeof config.description === 'string' ? config.description : undefined;
    addPrompt(plan, {
      id,
      source: name !== undefined && typeof entry === 'string' && entry.startsWith('file://') ? entry.slice(7) : source,
      versions: [{ content: promptText(converted.value, { type: chat ? 'chat' : 'text', description }), message: `Import ${id} from promptfoo`, labels: [] }],
      ...(suite ? { suite } : {}),
    });
  });
  return plan;
}

function promptOf(entry: unknown, readRef: (path: string) => string): { text?: string; name?: string; error?: string } {
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const o = entry as { id?: unknown; label?: unknown; raw?: unknown };
    const name = typeof o.label === 'string' ? o.label : typeof o.id === 'string' && !o.id.startsWith('file://') ? o.id : undefined;
    if (typeof o.raw === 'string') return { text: o.raw, name };
    if (typeof o.id === 'string' && o.id.startsWith('file://')) return fromFile(o.id, readRef, name);
    return { error: 'a prompt object needs `raw` text or an `id` of file://PATH' };
  }
  if (typeof entry !== 'string') return { error: 'a prompt must be text, file://PATH or { label, raw }' };
  return entry.startsWith('file://') ? fromFile(entry, readRef) : { text: entry };
}

function fromFile(ref: string, readRef: (path: string) => string, name?: string): { text?: string; name?: string; error?: string } {
  const path = ref.slice('file://'.length);
  if (/\.(js|cjs|mjs|ts|py)(:|$)/.test(path)) return { error: `${path} is code that builds the prompt; only text, Markdown, Jinja/Nunjucks and JSON chat files can be imported` };
  if (path.includes('*')) return { error: `${path} is a glob; list the files one by one` };
  try {
    const file = path.split('/').pop()!;
    return { text: readRef(path), name: name ?? file.replace(/\.[^.]+$/, '') };
  } catch (error) {
    return { error: `${path} cannot be read: ${(error as Error).message}` };
  }
}

/** A JSON list of `{role, content}` (promptfoo's chat prompt files) as messages; undefined for plain text. */
function asChat(text: string): { role: ChatRole; content: string }[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(text) as { role?: unknown; content?: unknown }[];
    if (!Array.isArray(parsed) || !parsed.every((m) => ['system', 'user', 'assistant'].includes(m?.role as string) && typeof m.content === 'string')) return undefined;
    return parsed as { role: ChatRole; content: string }[];
  } catch {
    return undefined;
  }
}

function suiteText(config: Record<string, unknown>): string {
  const suite: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!NOT_SUITE_KEYS.includes(key)) suite[key] = value;
  const doc = parseDocument('{}');
  doc.contents = doc.createNode(suite) as typeof doc.contents;
  return doc.toString({ lineWidth: 0 });
}
