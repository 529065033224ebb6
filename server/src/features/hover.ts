/**
 * Hover on a prompt reference: the prompt rendered with the reference's params plus
 * defaults (missing ones marked), the version it resolves to now, its labels and
 * status, and links to open, compare and test it.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReferenceFacts } from '../index/lookup';
import { labelsAt, releaseAt, versionBySha } from '../index/model';
import { formatPromptUri, paramValues } from '../index/reference';
import type { RenderOutcome } from '../index/renders';
import type { VersionCalls } from '../index/source';
import { describeUsage } from '../../../core/usageText';
import { valueProblem } from '../diagnostics/invalidParamValue';
import { commandLink, Commands, type PromptTarget } from '../protocol';

/** Value shown for a required parameter the reference does not give. */
export const missingMarker = (name: string) => `‹${name}: missing›`;

/** Params to render a hover with: the reference's, defaults, and a visible marker for each missing required one. */
export function hoverParams(facts: ReferenceFacts): Record<string, unknown> {
  const declared = facts.prompt?.params ?? {};
  // Unknown or ill-typed values are diagnostics already; the hover still shows the prompt.
  const values: Record<string, unknown> = Object.fromEntries(Object.entries(paramValues(facts.ref)).filter(([name, value]) => declared[name] && !valueProblem(value, declared[name])));
  for (const [name, spec] of Object.entries(declared)) {
    if (!(name in values) && spec.default !== undefined) values[name] = spec.default;
    else if (spec.required && spec.default === undefined && !(name in values) && (spec.type ?? 'string') === 'string' && !spec.enum) values[name] = missingMarker(name);
  }
  return values;
}

export function hover(doc: TextDocument, facts: ReferenceFacts, render: RenderOutcome | undefined, usage?: VersionCalls, commandLinks = false): Hover {
  const { ref, target, host, prompt, resolution } = facts;
  const range = { start: doc.positionAt(ref.start), end: doc.positionAt(ref.end) };
  const lines: string[] = [];
  if (!target) return { range, contents: { kind: MarkupKind.Markdown, value: `Invalid prompt reference: ${ref.problems[0]?.message ?? ref.text}` } };
  if (!host) return { range, contents: { kind: MarkupKind.Markdown, value: `Unknown host \`${target.host}\`` } };
  if (!prompt) {
    const state = host.state === 'connected' ? `no prompt \`${target.id}\` in \`${target.repo}\`` : `host \`${host.name}\` is ${host.state}${host.message ? `: ${host.message}` : ''}`;
    return { range, contents: { kind: MarkupKind.Markdown, value: `**${target.id}** — ${state}` } };
  }
  const status = prompt.status === 'active' ? '' : ` · _${prompt.status}_`;
  lines.push(`**${prompt.id}**${prompt.description ? ` — ${prompt.description}` : ''}${status}`);
  if (host.state !== 'connected') lines.push(`_${host.name} is ${host.state}; showing data from ${host.syncedAt ?? 'nothing yet'}_`);
  lines.push('');
  const sha = resolution?.ok ? resolution.sha : undefined;
  if (resolution && !resolution.ok) lines.push(`⚠ ${resolution.message}`);
  else if (sha) {
    const version = versionBySha(prompt, sha);
    const release = releaseAt(prompt, sha);
    const labels = labelsAt(prompt, sha);
    lines.push(`\`${facts.spec}\` → ${release ? `**${release}** ` : ''}\`${sha.slice(0, 7)}\`${version ? ` · ${version.date.slice(0, 10)} · ${version.author} — ${version.message}` : ''}`);
    if (labels.length) lines.push('', `Labels: ${labels.map((l) => `\`${l}\``).join(', ')}`);
    if (usage) lines.push('', `Usage: ${describeUsage(usage)}`);
  } else {
    lines.push(`\`${facts.spec}\` is resolved by the forge when used`);
  }
  lines.push('', ...renderSection(facts, render));
  const pinned: PromptTarget = { ...target, ...(sha ? { version: sha } : {}) };
  const links = [
    commandLink('Open', Commands.openPrompt, pinned),
    ...(prompt.labels.production ? [commandLink('Diff with production', Commands.compareWithProduction, pinned)] : []),
    commandLink('Render & Test', Commands.renderAndTest, { uri: formatPromptUri({ ...target, version: facts.spec }, paramValues(ref)), params: paramValues(ref) }),
  ];
  if (commandLinks) lines.push('', links.join(' · '));
  return { range, contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}

function renderSection(facts: ReferenceFacts, render: RenderOutcome | undefined): string[] {
  const prompt = facts.prompt!;
  const given = paramValues(facts.ref);
  const params = Object.entries(prompt.params).map(([name, spec]) => {
    const value = name in given ? `\`${given[name]}\`` : spec.default !== undefined ? `\`${typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default)}\` (default)` : spec.required ? '**missing**' : '_unset_';
    return `- \`${name}\`: ${spec.type ?? 'string'}${spec.required ? ', required' : ''} = ${value}`;
  });
  const out: string[] = [];
  if (!render) out.push('_Rendering…_');
  else if (!render.ok) out.push(`⚠ ${render.message}`);
  else if (render.value.messages) out.push(...render.value.messages.map((m) => `**${m.role}:**\n\n${fence(m.content)}`));
  else out.push(fence(render.value.text ?? ''));
  if (params.length) out.push('', 'Parameters:', ...params);
  return out;
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}text\n${text}\n${ticks}`;
}
