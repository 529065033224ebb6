/**
 * Reads `ID.test.yaml`. Like the `.prompt` parser it never throws: it returns the
 * suite it could make of the text and every problem with its exact range, so the CLI
 * can name file, line and column and an editor can underline the spot.
 */
import { isMap, isNode, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { isPlainObject } from '../params';
import type { ErrorCode } from '../errors';
import { LineIndex, problem, type Problem, type Range } from '../text';
import { ASSERTION_TYPES, type Assertion, type AssertionType, type TestCase, type TestSuite } from './types';

/** Keys of a promptfoo config that mean something elsewhere (the prompt is `ID.prompt`); accepted and ignored. */
const IGNORED_TOP_KEYS = ['prompts', 'providers', 'outputPath', 'sharing', 'evaluateOptions', 'env', 'commandLineOptions'];
const TOP_KEYS = ['description', 'defaultTest', 'tests', ...IGNORED_TOP_KEYS];
const TEST_KEYS = ['description', 'vars', 'assert', 'threshold', 'options', 'metadata'];
const ASSERT_KEYS = ['type', 'value', 'threshold', 'weight', 'target', 'metric'];
/** Types whose `value` must be a string / a list of strings / absent or a schema. */
const STRING_VALUE: readonly AssertionType[] = ['contains', 'icontains', 'starts-with', 'regex', 'levenshtein', 'llm-rubric', 'similar'];
const LIST_VALUE: readonly AssertionType[] = ['contains-any', 'contains-all'];
const THRESHOLD_REQUIRED: readonly AssertionType[] = ['latency', 'cost'];

export interface ParsedSuite {
  suite: TestSuite;
  problems: Problem[];
  /** Where each test's vars are written, by test index then var name: for "unknown var" checks. */
  varRanges: Record<string, Range>[];
}

export function parseTestSuite(text: string): ParsedSuite {
  const problems: Problem[] = [];
  const suite: TestSuite = { tests: [] };
  const varRanges: Record<string, Range>[] = [];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const lines = new LineIndex(text);
    for (const error of doc.errors) {
      const start = Math.min(error.pos[0], text.length);
      const end = Math.min(Math.max(start + 1, error.pos[1]), text.length);
      const at = lines.position(start);
      const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push(problem('invalid_yaml', `Invalid YAML (line ${at.line + 1}, column ${at.character + 1}): ${message}`, Math.min(start, end), end));
    }
    return { suite, problems, varRanges };
  }
  const whole: Range = { start: 0, end: text.length };
  const rangeOfNode = (node: unknown): Range => (isNode(node) && node.range ? { start: node.range[0], end: trimEnd(text, node.range[0], node.range[1]) } : whole);
  const report = (code: ErrorCode, message: string, node: unknown, severity: Problem['severity'] = 'error') => {
    const r = rangeOfNode(node);
    problems.push(problem(code, message, r.start, r.end, severity));
  };

  const root = doc.contents;
  if (root === null) return { suite, problems, varRanges };
  if (!isMap(root)) {
    report('invalid_suite', 'A test file must be a mapping with a `tests` list, e.g. `tests: [{ vars: {…}, assert: [{ type: contains, value: … }] }]`.', root);
    return { suite, problems, varRanges };
  }
  for (const pair of root.items as Pair[]) {
    const key = keyName(pair);
    if (!TOP_KEYS.includes(key)) report('unknown_key', `Unknown key \`${key}\`; known keys: ${['description', 'defaultTest', 'tests'].join(', ')}. It is ignored.`, pair.key, 'warning');
    else if (IGNORED_TOP_KEYS.includes(key)) report('ignored_key', `\`${key}\` is promptfoo's; here the prompt is the \`.prompt\` file beside this one, so it is ignored.`, pair.key, 'warning');
  }
  const description = doc.get('description');
  if (description !== undefined) {
    if (typeof description === 'string') suite.description = description;
    else report('invalid_suite', '`description` must be a string.', doc.get('description', true));
  }

  const defaults = readTest(doc, root.get('defaultTest', true), -1, report);
  const tests = root.get('tests', true);
  if (tests === undefined) {
    report('invalid_suite', 'The file has no `tests` list.', root);
  } else if (!isSeq(tests)) {
    report('invalid_suite', '`tests` must be a list of tests.', tests);
  } else {
    tests.items.forEach((item, index) => {
      const test = readTest(doc, item, index, report);
      if (!test) return;
      const vars = { ...defaults?.test.vars, ...test.test.vars };
      suite.tests.push({ ...test.test, vars, assert: [...(defaults?.test.assert ?? []), ...test.test.assert], threshold: test.test.threshold ?? defaults?.test.threshold });
      varRanges.push({ ...defaults?.varRanges, ...test.varRanges });
    });
  }
  return { suite, problems, varRanges };
}

type Report = (code: ErrorCode, message: string, node: unknown, severity?: Problem['severity']) => void;

function readTest(doc: Document, node: unknown, index: number, report: Report): { test: TestCase; varRanges: Record<string, Range> } | undefined {
  if (node === undefined || node === null) return undefined;
  const where = index < 0 ? '`defaultTest`' : `test ${index + 1}`;
  if (!isMap(node)) {
    report('invalid_test', `${where} must be a mapping with \`vars\` and \`assert\`.`, node);
    return undefined;
  }
  const test: TestCase = { index, vars: {}, assert: [], range: nodeRange(node) };
  const varRanges: Record<string, Range> = {};
  for (const pair of node.items as Pair[]) {
    const key = keyName(pair);
    const value = pair.value;
    switch (key) {
      case 'description':
        if (isScalar(value) && typeof value.value === 'string') test.description = value.value;
        else report('invalid_test', `${where}: \`description\` must be a string.`, value);
        break;
      case 'vars': {
        const vars = toJS(doc, value);
        if (!isPlainObject(vars)) {
          report('invalid_vars', `${where}: \`vars\` must be a mapping of param names to values.`, value);
          break;
        }
        test.vars = vars;
        if (isMap(value)) for (const p of value.items as Pair[]) varRanges[keyName(p)] = nodeRange(p.key);
        break;
      }
      case 'assert':
        if (!isSeq(value)) report('invalid_assert', `${where}: \`assert\` must be a list of assertions.`, value);
        else for (const item of value.items) {
          const assertion = readAssertion(doc, item, where, report);
          if (assertion) test.assert.push(assertion);
        }
        break;
      case 'threshold': {
        const t = isScalar(value) ? value.value : undefined;
        if (typeof t === 'number' && t >= 0 && t <= 1) test.threshold = t;
        else report('invalid_threshold', `${where}: \`threshold\` must be a number from 0 to 1 (the share of the weighted score needed to pass).`, value);
        break;
      }
      case 'options':
      case 'metadata':
        break;
      default:
        report('unknown_key', `${where}: unknown key \`${key}\`; known keys: ${TEST_KEYS.slice(0, 4).join(', ')}. It is ignored.`, pair.key, 'warning');
    }
  }
  return { test, varRanges };
}

function readAssertion(doc: Document, node: unknown, where: string, report: Report): Assertion | undefined {
  if (!isMap(node)) {
    report('invalid_assert', `${where}: an assertion must be a mapping like \`{ type: contains, value: Hello }\`.`, node);
    return undefined;
  }
  const raw = toJS(doc, node) as Record<string, unknown>;
  const typeNode = node.get('type', true);
  const written = raw.type;
  if (typeof written !== 'string') {
    report('invalid_assert', `${where}: the assertion needs a \`type\`: one of ${ASSERTION_TYPES.join(', ')} (each may start with \`not-\`).`, node);
    return undefined;
  }
  const negate = written.startsWith('not-');
  const type = (negate ? written.slice(4) : written) as AssertionType;
  if (!ASSERTION_TYPES.includes(type)) {
    report('unknown_assertion', `${where}: unknown assertion type \`${written}\`; supported: ${ASSERTION_TYPES.join(', ')} (each may start with \`not-\`).`, typeNode);
    return undefined;
  }
  for (const pair of node.items as Pair[]) {
    const key = keyName(pair);
    if (!ASSERT_KEYS.includes(key)) report('unknown_key', `${where}: unknown assertion key \`${key}\`; known keys: ${ASSERT_KEYS.slice(0, 5).join(', ')}. It is ignored.`, pair.key, 'warning');
  }
  const assertion: Assertion = { type, negate, value: raw.value, weight: 1, target: 'output', range: nodeRange(node) };
  const valueNode = node.get('value', true) ?? node;
  const bad = (code: ErrorCode, message: string, at: unknown = valueNode) => {
    report(code, `${where}: ${message}`, at);
    return undefined;
  };
  if (raw.weight !== undefined) {
    if (typeof raw.weight !== 'number' || !(raw.weight >= 0)) return bad('invalid_weight', '`weight` must be a number of at least 0.', node.get('weight', true));
    assertion.weight = raw.weight;
  }
  if (raw.threshold !== undefined) {
    if (typeof raw.threshold !== 'number' || !Number.isFinite(raw.threshold)) return bad('invalid_threshold', '`threshold` must be a number.', node.get('threshold', true));
    assertion.threshold = raw.threshold;
  }
  if (raw.target !== undefined) {
    if (raw.target !== 'output' && raw.target !== 'render') return bad('invalid_target', '`target` must be `output` (the model\'s answer, the default) or `render` (the rendered prompt).', node.get('target', true));
    assertion.target = raw.target;
  }
  if (assertion.target === 'render' && (type === 'latency' || type === 'cost' || type === 'llm-rubric' || type === 'similar')) {
    return bad('invalid_target', `\`${type}\` needs a model's answer; it cannot target the rendered prompt.`, node.get('target', true));
  }
  if (STRING_VALUE.includes(type) && typeof raw.value !== 'string') return bad('invalid_value', `\`${written}\` needs a string \`value\`.`);
  if (LIST_VALUE.includes(type) && !(Array.isArray(raw.value) && raw.value.length > 0 && raw.value.every((v) => typeof v === 'string'))) {
    return bad('invalid_value', `\`${written}\` needs a non-empty list of strings as \`value\`.`);
  }
  if (type === 'equals' && raw.value === undefined) return bad('invalid_value', '`equals` needs a `value` (a string, or a mapping or list compared as JSON).');
  if (type === 'is-json' && raw.value !== undefined && !isPlainObject(raw.value)) return bad('invalid_value', '`is-json` takes an optional JSON Schema mapping as `value`.');
  if (type === 'regex') {
    try {
      new RegExp(raw.value as string);
    } catch (error) {
      return bad('invalid_regex', `\`${written}\` value is not a valid regular expression: ${(error as Error).message}.`);
    }
  }
  if (THRESHOLD_REQUIRED.includes(type) && assertion.threshold === undefined) {
    return bad('invalid_threshold', `\`${written}\` needs a \`threshold\` (${type === 'latency' ? 'milliseconds' : 'dollars'}).`, node);
  }
  return assertion;
}

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function nodeRange(node: unknown): Range {
  const r = isNode(node) ? (node as Node).range : undefined;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

function toJS(doc: Document, node: unknown): unknown {
  return isNode(node) ? node.toJS(doc, { maxAliasCount: 100 }) : node;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
