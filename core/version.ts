/**
 * Version specs: syntax and classification (versionSpec.ts) and resolution against one
 * prompt's history (resolveVersion.ts). Import from here.
 */
export { CHANNELS, MAX_VERSION_LENGTH, classifyVersion, exactRelease, isRange, isShaLike, parseVersionSpec, refNameProblem, type VersionKind, type VersionSpec } from './versionSpec';
export { labelsAt, releaseOf, resolveVersion, suggest, type PromptCommit, type VersionResolution, type VersionSource } from './resolveVersion';
