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
}

export interface ChatMessage extends CoreMessage {
  role: 'system' | 'user' | 'assistant';
}

export async function complete(config: LlmConfig, messages: ChatMessage[]): Promise<Completion> {
  const { url, init } = chatRequest({ endpoint: config.url, apiKey: config.apiKey, model: config.model, messages, temperature: config.temperature ?? 0.2 });
  const timeoutMs = config.timeoutMs ?? 60_000;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e as Error).message;
    throw new ReviewError('llm_unavailable', `the review endpoint ${url} failed: ${why}`, 502);
  }
  const text = await res.text();
  if (!res.ok) throw new ReviewError('llm_failed', `the review endpoint ${url} answered ${res.status}: ${refusalReason(text)}`, 502);
  try {
    return readCompletion(text, config.model);
  } catch (e) {
    throw new ReviewError('bad_llm_output', `the review endpoint ${url} ${(e as Error).message}`, 502);
  }
}
