import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';
import { releaseAt } from '../index/model';

/** A movable version (HEAD, a label, a range, a branch): what runs can change under the app. Off by default. */
export function unpinned({ prompt, resolution, ref, spec }: ReferenceFacts): Finding[] {
  if (!prompt || !resolution?.ok || !resolution.movable) return [];
  const part = ref.version ?? ref.id!;
  const sha = resolution.sha;
  const release = sha ? releaseAt(prompt, sha) : undefined;
  const now = sha ? `; it resolves to ${release ? `${release} (${sha.slice(0, 7)})` : sha.slice(0, 7)} now` : '';
  return [{
    code: DiagnosticCode.Unpinned,
    message: `version "${spec}" of "${prompt.id}" can move${now}`,
    start: part.start,
    end: part.end,
    ...(sha ? { data: { sha, ...(release ? { release } : {}), labels: Object.keys(prompt.labels) } } : {}),
  }];
}
