/** The git-backed prompt store: public entry point. */
export { PromptStore, openRepoFolder } from './store';
export { StoreError, isStoreError } from './errors';
export type { StoreErrorCode } from './errors';
export * from './names';
export type * from './types';
