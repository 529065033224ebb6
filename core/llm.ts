/**
 * OpenAI-compatible chat completions (OpenAI, Azure-style gateways, Ollama, vLLM, LM
 * Studio…) as pure steps: the request to send, the error in a refusal, the answer, and
 * the pieces of a streamed answer. Core does no I/O, so each caller runs `fetch` itself:
 * the forge's review, the editor's Render & Test and the test runner share these steps.
 */
import { createParser } from 'eventsource-parser';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatCall {
  /** Base URL up to and including `/v1`, e.g. `https://api.openai.com/v1`. */
  endpoint: string;
  apiKey?: string;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  /** Stream the answer as server-sent events, usage included in the last one. */
  stream?: boolean;
}

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface Completion {
  content: string;
  /** The model that answered, as the endpoint names it (else the one asked for). */
  model: string;
  usage: TokenUsage;
}

/** An answer of the wrong shape (`bad_llm_output`); the message reads after the endpoint's name. */
export class LlmOutputError extends Error {
  readonly code = 'bad_llm_output';
}

export function chatRequest(call: ChatCall): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: string } } {
  return {
    url: `${call.endpoint.replace(/\/+$/, '')}/chat/completions`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(call.apiKey ? { authorization: `Bearer ${call.apiKey}` } : {}) },
      body: JSON.stringify({
        model: call.model,
        messages: call.messages,
        ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
        ...(call.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
    },
  };
}

/** What a refused call's body says: the API's `error.message`, else the start of the text. */
export function refusalReason(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: show the start of the text
  }
  return body.slice(0, 200);
}

interface Answer {
  model?: string;
  choices?: { message?: { content?: unknown }; delta?: { content?: unknown } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: string };
}

/** The answer of a call without streaming. */
export function readCompletion(body: string, asked: string): Completion {
  let answer: Answer;
  try {
    answer = JSON.parse(body) as Answer;
  } catch {
    throw new LlmOutputError('did not answer JSON');
  }
  const content = answer?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new LlmOutputError('answered no choices[0].message.content');
  return { content, model: answer.model ?? asked, usage: usageOf(answer) };
}

export interface StreamPiece {
  /** The next piece of the answer's text. */
  text?: string;
  /** Token counts, in the last event when the endpoint reports them. */
  usage?: TokenUsage;
}

/** The pieces of a streamed answer, from the body's chunks; an error event is thrown. */
export async function* readChatStream(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamPiece> {
  const pieces: StreamPiece[] = [];
  let failure: Error | undefined;
  const parser = createParser({
    onEvent: ({ data }) => {
      if (data === '[DONE]' || failure) return;
      let answer: Answer;
      try {
        answer = JSON.parse(data) as Answer;
      } catch {
        failure = new LlmOutputError(`streamed an event that is not JSON: ${data.slice(0, 100)}`);
        return;
      }
      if (answer.error) failure = new Error(answer.error.message ?? 'the endpoint reported an error');
      const text = answer.choices?.[0]?.delta?.content;
      if (typeof text === 'string' && text !== '') pieces.push({ text });
      if (answer.usage) pieces.push({ usage: usageOf(answer) });
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* pieces.splice(0);
    if (failure) throw failure;
  }
}

function usageOf(answer: Answer): TokenUsage {
  return { inputTokens: answer.usage?.prompt_tokens ?? null, outputTokens: answer.usage?.completion_tokens ?? null };
}
