/**
 * What a review sends to the model: the prompt file, its params, how it has been doing
 * (metrics) and — only where the user consented — a few recent inputs and outputs.
 * Pure, so what leaves the forge is easy to test.
 */
import type { Sample } from '../usage/types';
import type { VersionMetrics } from '../usage/tally';
import type { ChatMessage } from './llm';

/** Characters kept of each sample's input and output. */
const SAMPLE_CHARS = 2000;
export const MAX_SAMPLES = 10;

export interface ReviewBundle {
  repo: string;
  id: string;
  sha: string;
  release: string | null;
  labels: string[];
  /** The whole `.prompt` file: front matter and template. */
  source: string;
  template: string;
  params: Record<string, unknown>;
  metrics: VersionMetrics | null;
  samples: Sample[];
}

export interface BundleInput extends Omit<ReviewBundle, 'samples'> {
  samples: Sample[];
}

export function buildBundle(input: BundleInput): ReviewBundle {
  return {
    ...input,
    samples: input.samples.slice(0, MAX_SAMPLES).map((s) => ({ ...s, input: clip(s.input), output: clip(s.output) })),
  };
}

export const REVIEW_INSTRUCTION = `You review prompt templates used by an application that calls an LLM.
You receive one prompt file as JSON: "source" is the whole .prompt file (YAML front matter between --- lines, then a Mustache template), "params" its declared parameters, "metrics" how this version performed (calls, successRate 0..1, latency in ms, feedback -1..1), and "samples" recent real inputs and outputs with user feedback.
Find what makes the prompt fail or underperform and improve it. Keep every declared parameter and the front matter keys; keep {{placeholders}} and {{> partials}} as they are unless a suggestion says why.
Answer with exactly one JSON object and nothing else:
{"summary": "one paragraph", "suggestions": [{"title": "short imperative", "detail": "why and what"}], "revised": "the complete revised .prompt file, front matter included"}
Use "revised": null when the prompt needs no change.`;

export function reviewMessages(bundle: ReviewBundle, instruction?: string): ChatMessage[] {
  const ask = instruction?.trim() ? `\n\nThe author asks you to focus on: ${instruction.trim()}` : '';
  return [
    { role: 'system', content: REVIEW_INSTRUCTION },
    { role: 'user', content: `Review this prompt:\n${JSON.stringify(bundle, null, 2)}${ask}` },
  ];
}

function clip(text: string | null): string | null {
  return text !== null && text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}
