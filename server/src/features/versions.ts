/** A prompt's history, labels and releases from the index (pickers, the tree's children). */
import { ResponseError } from 'vscode-languageserver';
import type { PromptIndex } from '../index/model';
import * as protocol from '../protocol';
import { promptNode } from './tree';

export function versions(index: PromptIndex, params: protocol.VersionsParams): protocol.VersionsResult {
  const prompt = index.prompt(params.host, params.repo, params.id);
  if (!prompt) throw new ResponseError(protocol.ErrorCodes.NotFound, `no prompt ${params.host}/${params.repo}/${params.id}`, { code: 'prompt_not_found' });
  const node = promptNode(prompt);
  return { versions: prompt.versions, labels: node.labels, releases: node.releases, stale: index.host(params.host)?.state !== 'connected' };
}
