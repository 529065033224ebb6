/**
 * Suite results as people and CI read them: a pretty summary, JSON, and JUnit XML
 * (the format GitHub Actions, GitLab and Jenkins test reporters load).
 */
import type { SuiteResult, TestResult } from './run';

export interface SuiteRun {
  /** The suite file, as the user named it. */
  file: string;
  /** The prompt it tests, e.g. `welcome`. */
  prompt: string;
  /** What version was tested: a spec and the SHA it resolved to, or the working tree. */
  version?: string;
  result: SuiteResult;
}

export type Reporter = 'pretty' | 'json' | 'junit';
export const REPORTERS: readonly Reporter[] = ['pretty', 'json', 'junit'];

export function report(runs: SuiteRun[], reporter: Reporter): string {
  switch (reporter) {
    case 'pretty':
      return pretty(runs);
    case 'json':
      return `${JSON.stringify({ passed: total(runs, 'passed'), failed: total(runs, 'failed'), suites: runs }, null, 2)}\n`;
    case 'junit':
      return junit(runs);
  }
}

function total(runs: SuiteRun[], key: 'passed' | 'failed'): number {
  return runs.reduce((sum, r) => sum + r.result[key], 0);
}

function pretty(runs: SuiteRun[]): string {
  const lines: string[] = [];
  for (const run of runs) {
    lines.push(`${run.file} (${run.prompt}${run.version ? ` @ ${run.version}` : ''})`);
    for (const t of run.result.tests) {
      lines.push(`  ${t.pass ? '✓' : '✗'} ${t.name}${t.pass ? '' : ` (score ${t.score.toFixed(2)})`}`);
      if (t.pass) continue;
      if (t.error) lines.push(`      ${t.error}`);
      for (const a of t.assertions.filter((x) => !x.pass)) {
        lines.push(`      ${a.type}${a.target === 'render' ? ' (render)' : ''}: ${a.reason ?? 'failed'}`);
        if (a.expected !== undefined) lines.push(`        expected: ${oneLine(a.expected)}`);
        if (a.actual !== undefined) lines.push(`        actual:   ${oneLine(a.actual)}`);
      }
    }
  }
  const passed = total(runs, 'passed');
  const failed = total(runs, 'failed');
  lines.push('', `${passed + failed} test${passed + failed === 1 ? '' : 's'}: ${passed} passed, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

function junit(runs: SuiteRun[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  out.push(`<testsuites name="promptforge" tests="${total(runs, 'passed') + total(runs, 'failed')}" failures="${total(runs, 'failed')}" time="${seconds(runs.reduce((s, r) => s + r.result.durationMs, 0))}">`);
  for (const run of runs) {
    const { result } = run;
    out.push(`  <testsuite name="${xml(run.prompt)}" file="${xml(run.file)}" tests="${result.tests.length}" failures="${result.failed}" errors="0" skipped="0" time="${seconds(result.durationMs)}">`);
    for (const t of result.tests) {
      const attrs = `name="${xml(t.name)}" classname="${xml(run.prompt)}" file="${xml(run.file)}" time="${seconds(t.latencyMs ?? 0)}"`;
      if (t.pass) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      out.push(`    <testcase ${attrs}>`);
      out.push(`      <failure message="${xml(failureMessage(t))}" type="assertion">${xml(failureDetail(t))}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

export function failureMessage(t: TestResult): string {
  if (t.error) return t.error;
  const failed = t.assertions.filter((a) => !a.pass);
  return failed.map((a) => `${a.type}: ${a.reason ?? 'failed'}`).join('; ') || `score ${t.score.toFixed(2)} is below the threshold`;
}

function failureDetail(t: TestResult): string {
  const lines = t.assertions
    .filter((a) => !a.pass)
    .map((a) => `${a.type}: ${a.reason ?? 'failed'}\n  expected: ${a.expected ?? ''}\n  actual: ${a.actual ?? ''}`);
  if (t.output !== undefined) lines.push(`output:\n${t.output}`);
  return lines.join('\n');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
