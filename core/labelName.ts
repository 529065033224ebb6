/**
 * Which names a label may take. A label is looked up before releases, ranges, branches
 * and SHAs (DESIGN §2), so a label named like one of those would silently take over the
 * name: `v1.0.0` would stop meaning the immutable release, `main` the branch. The forge
 * refuses such labels and `promptforge lint` reports ones made with plain git; both ask here.
 */
import { exactRelease, isRange, isShaLike } from './versionSpec';

/** The reason `label` would shadow another version form, or undefined when it may be a label. */
export function labelShadowing(label: string, branches: Iterable<string> = []): string | undefined {
  if (label === 'HEAD' || label === 'latest') return `"${label}" is a reserved version name`;
  const release = exactRelease(label);
  if (release !== undefined) return `it reads as release ${release}, which is immutable`;
  if (isRange(label)) return 'it reads as a semver range of releases';
  if (isShaLike(label)) return 'it reads as a commit SHA (7 to 40 hex digits)';
  if (/^[0-9]/.test(label)) return 'it starts with a digit, so it would read as a release';
  for (const branch of branches) if (branch === label) return `it is the name of the branch "${branch}"`;
  return undefined;
}
