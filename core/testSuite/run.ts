/**
 * Runs a suite: renders each test's vars, asks the model (with a concurrency limit,
 * retries on 429/5xx with backoff, and a per-test timeout), then scores the
 * assertions. The caller brings rendering and the model call, so the forge, the CLI
 * and the editor run suites the same way over their own I/O.
 */
import type { ChatMessage } from '../chat';
import { evaluateAssertion, type AssertionOutcome, type Graders } from './assertions';
import { needsModel, testName, type Assertion, type TestCase, type TestSuite } from './types';

export interface RenderedPrompt {
  text?: string;
  messages?: ChatMessage[];
  /** Render errors (missing param, unknown param…): the test fails with these. */
  errors?: string[];
}

export interface ModelAnswer {
  output: string;
  latencyMs: number;
  cost?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** A failed model call; `status` (HTTP) decides whether it is worth retrying. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Seconds the endpoint asked us to wait (`Retry-After`). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }

  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export interface RunOptions extends Graders {
  render(vars: Record<string, unknown>): RenderedPrompt | Promise<RenderedPrompt>;
  /** Absent when no endpoint is configured: tests that need a model then fail with a clear reason. */
  complete?(prompt: RenderedPrompt, signal: AbortSignal): Promise<ModelAnswer>;
  /** Tests in flight at once; default 4. */
  concurrency?: number;
  /** Further attempts after a retryable failure; default 3. */
  retries?: number;
  /** First backoff in ms, doubled each retry; default 500. */
  backoffMs?: number;
  /** Per test, model call and grading included; default 60000. */
  timeoutMs?: number;
  onProgress?(done: number, total: number, last: TestResult): void;
}

export interface AssertionResult extends AssertionOutcome {
  type: string;
  target: Assertion['target'];
  weight: number;
  range: Assertion['range'];
}

export interface TestResult {
  index: number;
  name: string;
  vars: Record<string, unknown>;
  pass: boolean;
  score: number;
  /** Set when the test could not run (render failed, endpoint down, timeout). */
  error?: string;
  output?: string;
  latencyMs?: number;
  attempts: number;
  assertions: AssertionResult[];
}

export interface SuiteResult {
  passed: number;
  failed: number;
  durationMs: number;
  tests: TestResult[];
}

export async function runSuite(suite: TestSuite, options: RunOptions): Promise<SuiteResult> {
  const started = Date.now();
  const results: TestResult[] = new Array(suite.tests.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < suite.tests.length) {
      const test = suite.tests[next++];
      results[test.index] = await runTest(test, options);
      options.onProgress?.(++done, suite.tests.length, results[test.index]);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 4, suite.tests.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  const passed = results.filter((r) => r.pass).length;
  return { passed, failed: results.length - passed, durationMs: Date.now() - started, tests: results };
}

async function runTest(test: TestCase, options: RunOptions): Promise<TestResult> {
  const base = { index: test.index, name: testName(test), vars: test.vars, attempts: 0 };
  const fail = (error: string, extra: Partial<TestResult> = {}): TestResult => ({ ...base, pass: false, score: 0, error, assertions: [], ...extra });
  const rendered = await options.render(test.vars);
  if (rendered.errors?.length) return fail(`the prompt did not render: ${rendered.errors.join('; ')}`);
  const renderText = rendered.text ?? (rendered.messages ?? []).map((m) => `${m.role}: ${m.content}`).join('\n\n');

  const timeoutMs = options.timeoutMs ?? 60_000;
  const signal = AbortSignal.timeout(timeoutMs);
  let answer: ModelAnswer | undefined;
  let attempts = 0;
  if (needsModel(test)) {
    if (!options.complete) return fail('this test needs a model answer, but no endpoint is configured');
    try {
      ({ answer, attempts } = await withRetries(() => options.complete!(rendered, signal), options, signal));
    } catch (error) {
      const why = signal.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      return fail(`the model call failed: ${why}`, { attempts: (error as { attempts?: number }).attempts ?? 1 });
    }
  }

  const assertions: AssertionResult[] = [];
  try {
    for (const a of test.assert) {
      const subject = a.target === 'render' ? { text: renderText } : { text: answer!.output, latencyMs: answer!.latencyMs, cost: answer!.cost };
      const outcome = await raceAbort(evaluateAssertion(a, subject, options), signal, timeoutMs);
      assertions.push({ ...outcome, type: a.negate ? `not-${a.type}` : a.type, target: a.target, weight: a.weight, range: a.range });
    }
  } catch (error) {
    return fail(`grading failed: ${(error as Error).message}`, { output: answer?.output, latencyMs: answer?.latencyMs, attempts, assertions });
  }
  const weight = assertions.reduce((sum, a) => sum + a.weight, 0);
  const score = weight === 0 ? 1 : assertions.reduce((sum, a) => sum + a.score * a.weight, 0) / weight;
  const pass = test.threshold === undefined ? assertions.every((a) => a.pass || a.weight === 0) : score >= test.threshold;
  return { ...base, attempts, pass, score, output: answer?.output, latencyMs: answer?.latencyMs, assertions };
}

async function withRetries(call: () => Promise<ModelAnswer>, options: RunOptions, signal: AbortSignal): Promise<{ answer: ModelAnswer; attempts: number }> {
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return { answer: await call(), attempts: attempt };
    } catch (error) {
      const retryable = !(error instanceof ModelCallError) || error.retryable;
      if (!retryable || attempt > retries || signal.aborted) throw Object.assign(error as Error, { attempts: attempt });
      const wait = error instanceof ModelCallError && error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff * 2 ** (attempt - 1);
      await delay(wait, signal);
    }
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(`no answer within ${timeoutMs} ms`));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error(`no answer within ${timeoutMs} ms`));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
