/**
 * Prompt URIs as the resolve routes take them, through core's parser. The forge serves
 * every HOST: a client that sent the URI here already mapped HOST to this forge, so the
 * host is kept as given and echoed in the canonical URI.
 */
import type { Problem } from '../../core/text';
import { parsePromptUri, parseShortRef, type PromptUri } from '../../core/uri';
import { HttpError } from './errors';

export type { PromptUri };
export { formatPromptUri, pinnedUri } from '../../core/uri';

const EXAMPLE = 'prompt://localhost:7070/demo/welcome/production';

/**
 * The URI, or a 400 naming the first problem and its column. `from` says where it was
 * missing: `uri=` of the query (`missing_query`) or `"uri"` of a JSON body (`missing_field`).
 */
export function parseForgeUri(text: unknown, from: 'query' | 'body' = 'query'): PromptUri {
  if (text === undefined || text === null || text === '') {
    throw from === 'query'
      ? new HttpError('missing_query', `give the prompt URI as ?uri=…, e.g. uri=${encodeURIComponent(EXAMPLE)}`)
      : new HttpError('missing_field', `the body needs "uri", e.g. {"uri": "${EXAMPLE}"}`);
  }
  if (typeof text !== 'string') throw new HttpError('invalid_field', `"uri" must be a string, not ${typeof text}`);
  const parsed = parsePromptUri(text);
  if (parsed.uri) return parsed.uri;
  if (!text.includes('://') && parseShortRef(text, { host: 'h', repo: 'r' }).errors.length === 0) {
    throw new HttpError(
      'invalid_uri',
      `"${text}" is a short form: short forms (ID:VERSION, REPO/ID:VERSION) and aliases are expanded by clients (the SDK, the editor) with their default host and repo; the forge needs the full URI, such as ${EXAMPLE}`,
      { problem: 'short_form', range: { start: 0, end: text.length } },
    );
  }
  const first = parsed.errors[0];
  throw new HttpError('invalid_uri', `invalid prompt URI at column ${first.range.start + 1}: ${first.message}`, { problem: first.code, range: first.range });
}

/**
 * Param problems (`missing_param`, …) as offsets into the URI text the client sent, so an
 * editor can underline the URI: the given param's name (unknown) or value (invalid), or
 * the query (or the whole URI when it has none) for a param that is missing. The store
 * knows only the prompt file and reports no useful range for values it was given.
 */
export function rangesInUri<P extends Problem & { param?: string }>(text: string, problems: P[]): P[] {
  const { ranges } = parsePromptUri(text);
  return problems.map((p) => {
    const given = ranges.params.find((r) => r.name === p.param);
    const range = p.code === 'missing_param' || !given ? (ranges.query ?? ranges.whole) : p.code === 'unknown_param' ? given.nameRange : given.valueRange;
    return { ...p, range };
  });
}
