/**
 * A minimal client for OpenAI-compatible chat completions (OpenAI, Azure-style
 * gateways, Ollama, vLLM, LM Studio…): one non-streaming request with a timeout.
 */
import { ReviewError } from './errors';

/** The `llm:` section of forge.yaml. */
export interface LlmConfig {
  /** Base URL up to and including `/v1`, e.g. `https://api.openai.com/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  /** Default 60000. */
  timeoutMs?: number;
  /** Default 0.2: reviews should be steady, not creative. */
  temperature?: number;
  /** For `similar` test assertions; default `text-embedding-3-small`. */
  embeddingModel?: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Completion {
  content: string;
  model: string;
  usage: { inputTokens: number | null; outputTokens: number | null };
}

export async function complete(config: LlmConfig, messages: ChatMessage[], signal?: AbortSignal): Promise<Completion> {
  const url = `${config.url.replace(/\/+$/, '')}/chat/completions`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify({ model: config.model, messages, temperature: config.temperature ?? 0.2 }),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs ?? 60_000)]) : AbortSignal.timeout(config.timeoutMs ?? 60_000),
    });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${config.timeoutMs ?? 60_000} ms` : (e as Error).message;
    throw new ReviewError('llm_unavailable', `the review endpoint ${url} failed: ${why}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ReviewError('llm_failed', `the model endpoint ${url} answered ${res.status}: ${errorMessage(text)}`, {
      status: res.status,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfter } : {}),
    });
  }
  let body: { model?: string; choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ReviewError('bad_llm_output', `the review endpoint ${url} did not answer JSON`);
  }
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new ReviewError('bad_llm_output', `the review endpoint answered no choices[0].message.content`);
  }
  return {
    content,
    model: body.model ?? config.model,
    usage: { inputTokens: body.usage?.prompt_tokens ?? null, outputTokens: body.usage?.completion_tokens ?? null },
  };
}

function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: show the start of the text
  }
  return text.slice(0, 200);
}
