// Runs a rendered prompt against an OpenAI-compatible chat completions endpoint,
// streaming the answer. Called from the extension host, never from the webview.

export interface ChatMessage {
  role: string;
  content: string;
}

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

interface StreamChunk {
  choices?: { delta?: { content?: string } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: string };
}

export async function runChat(request: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const url = request.endpoint.replace(/\/+$/, '') + '/chat/completions';
  const response = await fetch(url, {
    method: 'POST',
    signal: request.signal,
    headers: { 'content-type': 'application/json', ...(request.apiKey ? { authorization: `Bearer ${request.apiKey}` } : {}) },
    body: JSON.stringify({
      model: request.model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    }),
  });
  if (!response.ok || !response.body) {
    const body = await response.text().catch(() => '');
    let detail = body.slice(0, 300);
    try {
      detail = (JSON.parse(body) as StreamChunk).error?.message ?? detail;
    } catch {
      // not JSON: show the text as is
    }
    throw new Error(`${url} answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  let text = '';
  let usage: StreamChunk['usage'];
  let pending = '';
  const decoder = new TextDecoder();
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(bytes, { stream: true });
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') continue;
      const chunk = JSON.parse(data) as StreamChunk;
      if (chunk.error) throw new Error(chunk.error.message ?? 'the endpoint reported an error');
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        text += delta;
        request.onText(delta);
      }
      if (chunk.usage) usage = chunk.usage;
    }
  }
  return {
    model: request.model,
    latencyMs: Math.round(performance.now() - started),
    inputTokens: usage?.prompt_tokens,
    outputTokens: usage?.completion_tokens,
    text,
  };
}
