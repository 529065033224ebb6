/**
 * `promptforge/sdk`: get prompts from a forge by URI inside apps — cached, live, and
 * safe when the forge is down — plus the typed HTTP client of the forge API.
 */
export { ForgeClient } from './forgeClient';
export type { ForgeClientOptions, RequestOptions } from './forgeClient';
export type { FollowOptions } from './eventStream';
export * from './errors';
export type * from './forgeTypes';
