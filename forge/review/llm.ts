/**
 * The review's call to an OpenAI-compatible endpoint: one request without streaming,
 * with a timeout. The request and the answer are core's (core/llm.ts).
 */
import { chatRequest, readCompletion, refusalReason, type ChatMessage as CoreMessage, type Completion } from '../../core/llm';
import { ReviewError } from './errors';

export type { Completion } from '../../core/llm';

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

export interface ChatMessage extends CoreMessage {
  role: 'system' | 'user' | 'assistant';
}

export async function complete(config: LlmConfig, messages: ChatMessage[], signal?: AbortSignal): Promise<Completion> {
  const { url, init } = chatRequest({ endpoint: config.url, apiKey: config.apiKey, model: config.model, messages, temperature: config.temperature ?? 0.2 });
  const timeoutMs = config.timeoutMs ?? 60_000;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e as Error).message;
    throw new ReviewError('llm_unavailable', `the model endpoint ${url} failed: ${why}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ReviewError('llm_failed', `the model endpoint ${url} answered ${res.status}: ${refusalReason(text)}`, {
      status: res.status,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfter } : {}),
    });
  }
  try {
    return readCompletion(text, config.model);
  } catch (e) {
    throw new ReviewError('bad_llm_output', `the model endpoint ${url} ${(e as Error).message}`);
  }
}
