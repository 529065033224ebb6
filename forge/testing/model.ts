/**
 * The model side of a test run, over the forge's one OpenAI-compatible client:
 * completions for the prompt under test, a grader for `llm-rubric` (promptfoo's
 * `{reason, pass, score}` verdict) and embeddings for `similar`.
 */
import type { ChatMessage } from '../../core/chat';
import type { Graders } from '../../core/testSuite/assertions';
import { ModelCallError, type ModelAnswer, type RenderedPrompt } from '../../core/testSuite/run';
import { ReviewError } from '../review/errors';
import { complete, type LlmConfig } from '../review/llm';

export interface TestModel extends Required<Graders> {
  complete(prompt: RenderedPrompt, signal: AbortSignal, model?: Record<string, unknown>): Promise<ModelAnswer>;
}

const GRADER_SYSTEM = `You are grading output according to a user-specified rubric. If the statement in the rubric is true, the output passes the test. Respond with a JSON object of this shape and nothing else: {"reason": string, "pass": boolean, "score": number between 0 and 1}.`;

/** `model`: a name that wins over the prompt's own `model.name` (the CLI's --model). */
export function testModel(llm: LlmConfig, opts: { model?: string } = {}): TestModel {
  const call = async (messages: ChatMessage[], overrides: Partial<LlmConfig>, signal?: AbortSignal) => {
    try {
      return await complete({ ...llm, ...overrides }, messages, signal);
    } catch (error) {
      if (error instanceof ReviewError) throw new ModelCallError(error.message, error.upstream?.status, error.upstream?.retryAfter);
      throw error;
    }
  };
  return {
    async complete(prompt, signal, model = {}) {
      const messages = prompt.messages ?? [{ role: 'user', content: prompt.text ?? '' }];
      const started = performance.now();
      const overrides: Partial<LlmConfig> = {};
      if (opts.model) overrides.model = opts.model;
      else if (typeof model.name === 'string') overrides.model = model.name;
      if (typeof model.temperature === 'number') overrides.temperature = model.temperature;
      const answer = await call(messages as ChatMessage[], overrides, signal);
      return {
        output: answer.content,
        latencyMs: performance.now() - started,
        inputTokens: answer.usage.inputTokens ?? undefined,
        outputTokens: answer.usage.outputTokens ?? undefined,
      };
    },
    async rubric(rubric, output) {
      const answer = await call(
        [
          { role: 'system', content: GRADER_SYSTEM },
          { role: 'user', content: `<Output>\n${output}\n</Output>\n<Rubric>\n${rubric}\n</Rubric>` },
        ],
        { temperature: 0 },
      );
      const json = answer.content.slice(answer.content.indexOf('{'), answer.content.lastIndexOf('}') + 1);
      let verdict: { pass?: unknown; score?: unknown; reason?: unknown };
      try {
        verdict = JSON.parse(json);
      } catch {
        throw new Error(`the grader did not answer a JSON verdict: ${answer.content.slice(0, 200)}`);
      }
      const pass = verdict.pass === true;
      const score = typeof verdict.score === 'number' ? Math.min(1, Math.max(0, verdict.score)) : pass ? 1 : 0;
      return { pass, score, reason: typeof verdict.reason === 'string' ? verdict.reason : '' };
    },
    async embed(texts) {
      const url = `${llm.url.replace(/\/+$/, '')}/embeddings`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
        body: JSON.stringify({ model: llm.embeddingModel ?? 'text-embedding-3-small', input: texts }),
        signal: AbortSignal.timeout(llm.timeoutMs ?? 60_000),
      });
      if (!res.ok) throw new ModelCallError(`the embeddings endpoint ${url} answered ${res.status}`, res.status);
      const body = (await res.json()) as { data?: { embedding?: number[]; index?: number }[] };
      const rows = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      if (rows.length !== texts.length || rows.some((r) => !Array.isArray(r.embedding))) throw new Error(`the embeddings endpoint ${url} answered no vectors`);
      return rows.map((r) => r.embedding as number[]);
    },
  };
}
