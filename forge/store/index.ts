/** The git-backed prompt store: public entry point. */
export { PromptStore } from './store';
export { openRepoFolder } from './folder';
export { StoreError, isStoreError } from './errors';
export type { StoreErrorCode } from './errors';
export * from './names';
export type * from './types';
