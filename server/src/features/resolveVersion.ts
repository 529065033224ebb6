/**
 * A version spec of a prompt, resolved with core's rules against the index (Copy Pinned
 * URI, the Render & Test usage table): the extension never looks versions up itself.
 */
import { ResponseError } from 'vscode-languageserver';
import type { PromptIndex } from '../index/model';
import { formatPromptUri } from '../index/reference';
import { resolveVersion as resolveInIndex } from '../index/resolve';
import * as protocol from '../protocol';
import type { Settings } from '../settings';

export function resolveVersion(index: PromptIndex, settings: Settings, params: protocol.ResolveVersionParams): protocol.ResolveVersionResult {
  const { host, repo, id } = params;
  const prompt = index.prompt(host, repo, id);
  if (!prompt) throw new ResponseError(protocol.ErrorCodes.NotFound, `no prompt ${host}/${repo}/${id}`, { code: 'prompt_not_found' });
  const spec = params.version || settings.defaultVersion;
  const resolution = resolveInIndex(prompt, index.host(host)?.repos.get(repo), spec);
  if (!resolution.ok) {
    const code = resolution.code;
    const kind = code === 'version_not_found' ? protocol.ErrorCodes.NotFound : protocol.ErrorCodes.Invalid;
    throw new ResponseError(kind, resolution.message, { code, ...(resolution.candidates ? { candidates: resolution.candidates } : {}) });
  }
  const target = { host, repo, id };
  return {
    spec,
    kind: resolution.kind,
    movable: resolution.movable,
    uri: formatPromptUri({ ...target, ...(params.version ? { version: params.version } : {}) }),
    ...(resolution.sha ? { sha: resolution.sha, pinnedUri: formatPromptUri({ ...target, version: resolution.sha }) } : {}),
  };
}
