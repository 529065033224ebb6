/**
 * Quick fixes matched to diagnostics by code: add missing params, remove or rename an
 * unknown param, fix a misspelt id or repo, pin a movable version to its release or SHA.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticCode } from '../diagnostics/codes';
import type { FindingData } from '../diagnostics/finding';
import type { PromptReference } from '../index/reference';

export function codeActions(doc: TextDocument, diagnostics: Diagnostic[], references: PromptReference[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const start = doc.offsetAt(diagnostic.range.start);
    const ref = references.find((r) => r.start <= start && start <= r.end);
    if (!ref) continue;
    const data = (diagnostic.data ?? {}) as FindingData;
    const fix = (title: string, edits: TextEdit[], preferred = false): void => {
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [doc.uri]: edits } } });
    };
    const replace = (from: number, to: number, newText: string): TextEdit => ({ range: { start: doc.positionAt(from), end: doc.positionAt(to) }, newText });
    switch (diagnostic.code) {
      case DiagnosticCode.MissingParam: {
        const params = data.params ?? [];
        if (params.length === 0 || ref.kind !== 'uri') break;
        const query = params.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
        const separator = ref.queryStart === undefined ? '?' : ref.text.endsWith('?') || ref.text.endsWith('&') ? '' : '&';
        fix(`Add ${params.map((p) => p.name).join(', ')}`, [replace(ref.end, ref.end, separator + query)], true);
        break;
      }
      case DiagnosticCode.UnknownParam: {
        const param = ref.params.find((p) => p.name.start === start);
        if (!param) break;
        if (data.suggestion) fix(`Change to "${data.suggestion}"`, [replace(param.name.start, param.name.end, data.suggestion)], true);
        // Remove the param with one of its separators so the query stays well-formed.
        const end = param.value?.end ?? param.name.end;
        const removeFrom = ref.text[end - ref.start] === '&' ? param.name.start : param.name.start - 1;
        const removeTo = ref.text[end - ref.start] === '&' ? end + 1 : end;
        fix(`Remove parameter "${param.name.value}"`, [replace(removeFrom, removeTo, '')]);
        break;
      }
      case DiagnosticCode.UnknownPrompt:
      case DiagnosticCode.UnknownRepo: {
        const part = diagnostic.code === DiagnosticCode.UnknownPrompt ? ref.id : ref.repo;
        if (data.suggestion && part) fix(`Change to "${data.suggestion}"`, [replace(part.start, part.end, data.suggestion)], true);
        break;
      }
      case DiagnosticCode.Unpinned:
        actions.push(...pinActions(doc, ref, data, CodeActionKind.QuickFix, diagnostic));
        break;
    }
  }
  return actions;
}

/**
 * Pin a movable version to its release or SHA, or name a label instead of HEAD. Offered
 * as quick fixes of `unpinned`, and as rewrites at the cursor when that rule is off.
 */
export function pinActions(doc: TextDocument, ref: PromptReference, data: FindingData, kind: string, diagnostic?: Diagnostic): CodeAction[] {
  if (!data.sha || !ref.id) return [];
  const id = ref.id;
  const at = (from: number, to: number, newText: string): TextEdit => ({ range: { start: doc.positionAt(from), end: doc.positionAt(to) }, newText });
  const edit = (version: string) => (ref.version ? at(ref.version.start, ref.version.end, version) : at(id.end, id.end, ref.kind === 'uri' ? `/${version}` : `:${version}`));
  const action = (title: string, version: string, preferred = false): CodeAction => ({
    title,
    kind,
    ...(diagnostic ? { diagnostics: [diagnostic], isPreferred: preferred } : {}),
    edit: { changes: { [doc.uri]: [edit(version)] } },
  });
  const actions: CodeAction[] = [];
  if (data.release) actions.push(action(`Pin to release ${data.release}`, data.release, true));
  actions.push(action(`Pin to ${data.sha.slice(0, 12)}`, data.sha));
  if (ref.version?.value === 'HEAD') for (const label of data.labels ?? []) actions.push(action(`Use label "${label}" instead of HEAD`, label));
  return actions;
}
