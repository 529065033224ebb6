/**
 * Completion inside a prompt reference at every position: hosts → repos → prompt ids
 * → versions → parameter names → enum values. From the index only.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { IndexedPrompt, PromptIndex } from '../index/model';
import type { PromptReference } from '../index/reference';
import type { Settings } from '../settings';
import { slotAt, type Slot } from './slot';

export const completionTriggerCharacters = ['/', '?', '&', '=', ':'];

/** Lists stay short enough to send and sort within the latency budget; typing narrows them. */
const maxItems = 100;

export function completion(doc: TextDocument, ref: PromptReference | undefined, offset: number, index: PromptIndex, settings: Settings): CompletionList | null {
  if (!ref) return null;
  const slot = slotAt(ref, offset);
  if (!slot) return null;
  const range: Range = { start: doc.positionAt(slot.start), end: doc.positionAt(slot.end) };
  const host = ref.host?.value;
  const repo = ref.repo?.value;
  let items: CompletionItem[];
  switch (slot.kind) {
    case 'host':
      items = hostItems(index, settings);
      break;
    case 'repo':
      items = host ? repoItems(index, host, ref.kind === 'short') : [];
      break;
    case 'id':
      items = host && repo ? idItems(index, host, repo, slot.typed) : [];
      if (ref.kind === 'short' && host && !ref.text.slice(0, slot.start - ref.start).includes('/')) items.push(...repoItems(index, host, true));
      break;
    default: {
      const prompt = host && repo && ref.id ? index.prompt(host, repo, ref.id.value) : undefined;
      items = prompt ? promptSlotItems(prompt, index, slot, ref) : [];
    }
  }
  const incomplete = items.length > maxItems;
  return { isIncomplete: incomplete, items: (incomplete ? items.slice(0, maxItems) : items).map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } })) };
}

function hostItems(index: PromptIndex, settings: Settings): CompletionItem[] {
  return Object.entries(settings.hosts).map(([name, config]) => ({
    label: name,
    kind: CompletionItemKind.Module,
    detail: 'url' in config ? config.url : config.path,
    documentation: stateLine(index, name),
  }));
}

function stateLine(index: PromptIndex, name: string): string {
  const host = index.host(name);
  return host ? `${host.state}${host.message ? `: ${host.message}` : ''}` : 'not loaded';
}

function repoItems(index: PromptIndex, host: string, short: boolean): CompletionItem[] {
  return [...(index.host(host)?.repos.values() ?? [])].map((repo) => ({
    label: repo.name,
    kind: CompletionItemKind.Folder,
    detail: `${repo.prompts.size} prompts`,
    ...(short ? { insertText: `${repo.name}/` } : {}),
    sortText: `1${repo.name}`,
  }));
}

function idItems(index: PromptIndex, host: string, repo: string, typed: string): CompletionItem[] {
  const prompts = index.repo(host, repo)?.prompts;
  if (!prompts) return [];
  // One case-insensitive pattern instead of a lower-cased copy of every id per keystroke.
  const needle = typed ? new RegExp(typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined;
  const items: CompletionItem[] = [];
  for (const prompt of prompts.values()) {
    if (needle && !needle.test(prompt.id)) continue;
    items.push({
      label: prompt.id,
      kind: CompletionItemKind.File,
      ...(prompt.description ? { detail: prompt.description } : {}),
      ...(prompt.status === 'deprecated' ? { tags: [1] } : {}),
      sortText: `0${prompt.id}`,
    });
    if (items.length > maxItems) break;
  }
  return items;
}

function promptSlotItems(prompt: IndexedPrompt, index: PromptIndex, slot: Slot, ref: PromptReference): CompletionItem[] {
  if (slot.kind === 'version') return versionItems(prompt, index);
  if (slot.kind === 'paramName') return paramNameItems(prompt, ref, slot.start);
  if (slot.kind === 'paramValue') return paramValueItems(prompt, slot.name);
  return [];
}

function versionItems(prompt: IndexedPrompt, index: PromptIndex): CompletionItem[] {
  const items: CompletionItem[] = [];
  const short = (sha: string) => sha.slice(0, 7);
  const releaseOf = (sha: string) => prompt.versions.find((v) => v.sha === sha)?.release;
  for (const [label, sha] of Object.entries(prompt.labels).sort()) {
    const release = releaseOf(sha);
    items.push({ label, kind: CompletionItemKind.Reference, detail: `label → ${release ? `${release} ` : ''}${short(sha)}`, sortText: `0${label}` });
  }
  const releases = Object.entries(prompt.releases).sort(([a], [b]) => compareVersions(b, a));
  releases.forEach(([version, sha], i) => items.push({ label: version, kind: CompletionItemKind.Constant, detail: `release → ${short(sha)}`, sortText: `1${String(i).padStart(5, '0')}` }));
  items.push({ label: 'HEAD', kind: CompletionItemKind.Keyword, detail: `newest version${prompt.head ? ` → ${short(prompt.head)}` : ''}`, sortText: '2HEAD' });
  if (releases.length) items.push({ label: 'latest', kind: CompletionItemKind.Keyword, detail: 'highest release', sortText: '2latest' });
  const repo = index.repo(prompt.host, prompt.repo);
  for (const branch of repo?.branches ?? []) items.push({ label: branch, kind: CompletionItemKind.Variable, detail: 'branch', sortText: `3${branch}` });
  prompt.versions.slice(0, 10).forEach((v, i) =>
    items.push({
      label: short(v.sha),
      kind: CompletionItemKind.Value,
      detail: v.message,
      documentation: `${v.date} · ${v.author}${v.release ? ` · ${v.release}` : ''}${v.labels.length ? ` · ${v.labels.join(', ')}` : ''}`,
      insertText: v.sha,
      filterText: v.sha,
      sortText: `4${String(i).padStart(3, '0')}`,
    }),
  );
  return items;
}

function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

function paramNameItems(prompt: IndexedPrompt, ref: PromptReference, editing: number): CompletionItem[] {
  const given = new Set(ref.params.filter((p) => p.name.start !== editing).map((p) => p.name.value));
  return Object.entries(prompt.params)
    .filter(([name]) => !given.has(name))
    .map(([name, spec]) => ({
      label: name,
      kind: CompletionItemKind.Property,
      detail: `${spec.type ?? 'string'}${spec.required ? ', required' : ''}${spec.default !== undefined ? `, default ${JSON.stringify(spec.default)}` : ''}`,
      ...(spec.description ? { documentation: spec.description } : {}),
      insertText: `${name}=`,
      sortText: `${spec.required && spec.default === undefined ? 0 : 1}${name}`,
    }));
}

function paramValueItems(prompt: IndexedPrompt, name: string): CompletionItem[] {
  const spec = prompt.params[name];
  if (!spec) return [];
  const values = spec.enum?.length ? spec.enum : spec.type === 'boolean' ? [true, false] : [];
  return values.map((value, i) => ({
    label: String(value),
    kind: CompletionItemKind.EnumMember,
    ...(spec.default === value ? { detail: 'default' } : {}),
    insertText: encodeURIComponent(String(value)),
    sortText: String(i).padStart(4, '0'),
  }));
}
