/**
 * Go to definition: the `.prompt` file in a local repo's work tree when that is the
 * version referenced; otherwise a read-only `promptforge:` document of that version.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { ReferenceFacts } from '../index/lookup';
import { formatDocumentUri } from '../protocol';

const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function definition(facts: ReferenceFacts): Location | null {
  const { target, repo, prompt, resolution } = facts;
  if (!target || !prompt || !resolution?.ok) return null;
  const sha = resolution.sha;
  if (repo?.workTree && prompt.path && sha && sha === prompt.head) {
    return { uri: pathToFileURL(join(repo.workTree, prompt.path)).href, range: top };
  }
  return { uri: formatDocumentUri({ ...target, version: sha ?? facts.spec }), range: top };
}

/** Where a document link points: the same place as go to definition. */
export function linkTarget(facts: ReferenceFacts): string | undefined {
  return definition(facts)?.uri;
}
