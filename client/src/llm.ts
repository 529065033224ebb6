// Runs a rendered prompt against an OpenAI-compatible chat completions endpoint,
// streaming the answer. Called from the extension host, never from the webview. The
// request and the stream's reading are core's (core/llm.ts), shared with the forge.
import { chatRequest, readChatStream, refusalReason, type ChatMessage, type TokenUsage } from '../../core/llm';

export type { ChatMessage } from '../../core/llm';

export interface RunResult {
  model: string;
  latencyMs: number;
  inputTokens?: number;
  outputTokens?: number;
  text: string;
}

export interface RunRequest {
  endpoint: string;
  apiKey?: string;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  signal?: AbortSignal;
  onText: (chunk: string) => void;
}

export async function runChat(request: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const { url, init } = chatRequest({ ...request, stream: true });
  const response = await fetch(url, { ...init, signal: request.signal });
  if (!response.ok || !response.body) {
    const detail = refusalReason(await response.text().catch(() => ''));
    throw new Error(`${url} answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  let text = '';
  let usage: TokenUsage | undefined;
  // An error event (or a piece that is not JSON) ends the run with its message.
  for await (const piece of readChatStream(response.body as unknown as AsyncIterable<Uint8Array>)) {
    if (piece.text !== undefined) {
      text += piece.text;
      request.onText(piece.text);
    }
    usage = piece.usage ?? usage;
  }
  return {
    model: request.model,
    latencyMs: Math.round(performance.now() - started),
    inputTokens: usage?.inputTokens ?? undefined,
    outputTokens: usage?.outputTokens ?? undefined,
    text,
  };
}
