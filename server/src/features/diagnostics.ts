/**
 * Diagnostics of a document's prompt references: every rule over every reference,
 * severities from `lint.<rule>`, from the index only.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticCode, type LintSeverity } from '../diagnostics/codes';
import { deprecated } from '../diagnostics/deprecated';
import { duplicateParam } from '../diagnostics/duplicateParam';
import type { Finding } from '../diagnostics/finding';
import { hostUnreachable } from '../diagnostics/hostUnreachable';
import { invalidParamValue } from '../diagnostics/invalidParamValue';
import { invalidUri } from '../diagnostics/invalidUri';
import { missingParam } from '../diagnostics/missingParam';
import { unknownHost } from '../diagnostics/unknownHost';
import { unknownParam } from '../diagnostics/unknownParam';
import { unknownPrompt } from '../diagnostics/unknownPrompt';
import { unknownRepo } from '../diagnostics/unknownRepo';
import { unpinned } from '../diagnostics/unpinned';
import { versionProblem } from '../diagnostics/versionProblem';
import { lookup, type ReferenceFacts } from '../index/lookup';
import type { PromptIndex } from '../index/model';
import type { PromptReference } from '../index/reference';
import type { Settings } from '../settings';

type Rule = (facts: ReferenceFacts) => Finding[];

/** Rules over one reference, with the codes they report; each stays silent when an earlier part already failed. */
const referenceRules: Array<[Rule, DiagnosticCode[]]> = [
  [invalidUri, [DiagnosticCode.InvalidUri]],
  [duplicateParam, [DiagnosticCode.DuplicateParam]],
  [unknownRepo, [DiagnosticCode.UnknownRepo]],
  [unknownPrompt, [DiagnosticCode.UnknownPrompt]],
  [versionProblem, [DiagnosticCode.InvalidVersion, DiagnosticCode.VersionNotFound, DiagnosticCode.AmbiguousVersion]],
  [missingParam, [DiagnosticCode.MissingParam]],
  [unknownParam, [DiagnosticCode.UnknownParam]],
  [invalidParamValue, [DiagnosticCode.InvalidParamValue]],
  [deprecated, [DiagnosticCode.Deprecated]],
  [unpinned, [DiagnosticCode.Unpinned]],
];

const severity: Record<Exclude<LintSeverity, 'ignore'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function findings(references: PromptReference[], index: PromptIndex, settings: Settings): Finding[] {
  const configured = Object.keys(settings.hosts);
  const all = references.map((ref) => lookup(ref, index, settings));
  // Rules switched off cost nothing.
  const rules = referenceRules.filter(([, codes]) => codes.some((code) => settings.lint[code] !== 'ignore')).map(([rule]) => rule);
  const out: Finding[] = [];
  for (const facts of all) {
    out.push(...unknownHost(facts, configured));
    for (const rule of rules) out.push(...rule(facts));
  }
  out.push(...hostUnreachable(all));
  return out;
}

export function diagnostics(doc: TextDocument, references: PromptReference[], index: PromptIndex, settings: Settings, extra: Finding[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of [...extra, ...findings(references, index, settings)]) {
    const level = settings.lint[f.code];
    if (level === 'ignore') continue;
    out.push({
      range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
      severity: severity[level],
      code: f.code,
      source: 'promptforge',
      message: f.message,
      ...(f.data ? { data: f.data } : {}),
    });
  }
  return out;
}
