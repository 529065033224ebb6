/**
 * Render & Test: renders a URI (or a target with params) through its host's source.
 * A problem the user can fix in the panel (a missing param, an unknown version) comes
 * back as `problems`; failures to reach the host are thrown for the caller to type.
 */
import { ResponseError } from 'vscode-languageserver';
import type { PromptIndex } from '../index/model';
import { formatPromptUri, paramValues, parseUri, targetOf } from '../index/reference';
import { SourceError, type HostSource } from '../index/source';
import * as protocol from '../protocol';
import type { Settings } from '../settings';

export async function render(
  params: protocol.RenderParams,
  index: PromptIndex,
  settings: Settings,
  sourceOf: (host: string) => HostSource,
): Promise<protocol.RenderResult> {
  let target = params.target;
  let values: Record<string, unknown> = {};
  if (params.uri) {
    const expanded = settings.aliases[params.uri] ?? params.uri;
    const ref = parseUri(expanded, 0, 'uri');
    target = targetOf(ref);
    if (!target) throw new ResponseError(protocol.ErrorCodes.Invalid, ref.problems[0]?.message ?? `not a prompt URI: ${params.uri}`, { code: 'invalid_uri' });
    values = paramValues(ref);
  }
  if (!target) throw new ResponseError(protocol.ErrorCodes.Invalid, 'render needs a uri or a target', { code: 'invalid_uri' });
  const version = target.version ?? settings.defaultVersion;
  const prompt = index.prompt(target.host, target.repo, target.id);
  const base = { target: { ...target, version }, labels: [] as string[], params: prompt?.params ?? {}, type: prompt?.type ?? 'text' } as const;
  try {
    const r = await sourceOf(target.host).render(target.repo, target.id, version, { ...values, ...params.params });
    return {
      ...base,
      type: r.type,
      ...(r.text !== undefined ? { text: r.text } : {}),
      ...(r.messages ? { messages: r.messages } : {}),
      problems: [],
      sha: r.sha,
      pinnedUri: formatPromptUri({ ...target, version: r.sha }),
      ...(r.release ? { release: r.release } : {}),
      labels: r.labels,
      params: r.params,
      template: r.template,
    };
  } catch (error) {
    if (!(error instanceof SourceError) || error.kind === 'unreachable' || error.kind === 'unauthorized') throw error;
    const param = typeof error.detail.param === 'string' ? { param: error.detail.param } : {};
    return { ...base, problems: [{ code: error.code, message: error.message, ...param }] };
  }
}
