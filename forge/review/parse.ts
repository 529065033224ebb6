/**
 * Reads the model's answer to a review. Models wrap JSON in prose or code fences and
 * sometimes get the shape wrong; anything that is not the asked-for shape is an error
 * naming what was wrong, never a half-read suggestion.
 */
import { isPlainObject } from '../usage/event';
import type { ReviewAnswer, Suggestion } from '../../core/wire';
import { ReviewError } from './errors';

export type { ReviewAnswer, Suggestion };

const MAX_SUGGESTIONS = 50;

export function parseReviewAnswer(text: string): ReviewAnswer {
  const value = firstJsonObject(text);
  if (!isPlainObject(value)) throw bad('the answer holds no JSON object');
  const { summary, suggestions, revised } = value;
  if (typeof summary !== 'string') throw bad('"summary" must be a string');
  if (!Array.isArray(suggestions)) throw bad('"suggestions" must be a list');
  if (suggestions.length > MAX_SUGGESTIONS) throw bad(`more than ${MAX_SUGGESTIONS} suggestions`);
  const parsed = suggestions.map((s, i) => {
    if (!isPlainObject(s) || typeof s.title !== 'string' || !s.title.trim()) throw bad(`suggestion ${i} has no "title"`);
    if (s.detail !== undefined && typeof s.detail !== 'string') throw bad(`suggestion ${i} has a "detail" that is not text`);
    return { title: s.title.trim(), detail: typeof s.detail === 'string' ? s.detail.trim() : '' };
  });
  if (revised !== null && revised !== undefined && (typeof revised !== 'string' || !revised.trim())) {
    throw bad('"revised" must be the complete prompt file as text, or null');
  }
  return { summary: summary.trim(), suggestions: parsed, revised: typeof revised === 'string' ? withNewline(revised) : null };
}

/**
 * The first balanced `{…}` that parses, skipping prose and fences around it. Only a
 * few candidates are tried, so a hostile answer cannot make this quadratic.
 */
function firstJsonObject(text: string): unknown {
  let tries = 0;
  for (let start = text.indexOf('{'); start !== -1 && tries++ < 20; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) break;
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      // not this one; try the next opening brace
    }
  }
  return undefined;
}

/** Index of the brace closing the one at `start`, honouring JSON strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function bad(what: string): ReviewError {
  return new ReviewError('bad_llm_output', `the model's review could not be read: ${what}; nothing was changed`);
}
