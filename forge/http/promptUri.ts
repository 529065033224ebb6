/**
 * Prompt URIs as the resolve routes take them, through core's parser. The forge serves
 * every HOST: a client that sent the URI here already mapped HOST to this forge, so the
 * host is kept as given and echoed in the canonical URI.
 */
import { parsePromptUri, type PromptUri } from '../../core/uri';
import { HttpError } from './errors';

export type { PromptUri };
export { formatPromptUri, pinnedUri } from '../../core/uri';

/** The URI, or 400 `invalid_uri` naming the first problem and its column. */
export function parseForgeUri(text: unknown): PromptUri {
  if (typeof text !== 'string' || text === '') throw new HttpError('invalid_uri', 'give the prompt URI, e.g. uri=prompt://localhost:7070/demo/welcome/production');
  const parsed = parsePromptUri(text);
  if (parsed.uri) return parsed.uri;
  const first = parsed.errors[0];
  throw new HttpError('invalid_uri', `invalid prompt URI at column ${first.range.start + 1}: ${first.message}`, { problem: first.code, range: first.range });
}
