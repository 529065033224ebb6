/**
 * A prompt's test suite (`ID.test.yaml`): a subset of promptfoo's configuration, so
 * people who know `promptfoo eval` can read and write it without a new manual.
 */
import type { Range } from '../text';

export const ASSERTION_TYPES = [
  'equals',
  'contains',
  'icontains',
  'contains-any',
  'contains-all',
  'starts-with',
  'regex',
  'is-json',
  'levenshtein',
  'latency',
  'cost',
  'llm-rubric',
  'similar',
] as const;

export type AssertionType = (typeof ASSERTION_TYPES)[number];

/** What an assertion looks at: the model's answer, or the rendered prompt itself (no model needed). */
export type AssertionTarget = 'output' | 'render';

export interface Assertion {
  type: AssertionType;
  /** Written as `not-TYPE`: passes when the plain assertion fails. */
  negate: boolean;
  value?: unknown;
  threshold?: number;
  /** Share of the test's score; default 1. */
  weight: number;
  target: AssertionTarget;
  /** Where the assertion is written in the suite file. */
  range: Range;
}

export interface TestCase {
  /** Position in the file's `tests` list, from 0. */
  index: number;
  description?: string;
  /** Params for the prompt; `defaultTest.vars` merged under the test's own. */
  vars: Record<string, unknown>;
  /** `defaultTest.assert` first, then the test's own. */
  assert: Assertion[];
  /** With a threshold the test passes when its weighted score reaches it; without, every assertion must pass. */
  threshold?: number;
  range: Range;
}

export interface TestSuite {
  description?: string;
  tests: TestCase[];
}

/** Assertions that need an answer from a model (all but those on the rendered prompt). */
export function needsModel(test: TestCase): boolean {
  return test.assert.some((a) => a.target === 'output');
}

export function testName(test: TestCase): string {
  return test.description ?? `test ${test.index + 1}`;
}
