/**
 * `promptforge/sdk`: get prompts from a forge by URI inside apps — cached, live, and
 * safe when the forge is down — plus the typed HTTP client of the forge API.
 */
export { PromptClient, createPromptClient } from './client';
export type { PromptResult, PromptSource, UsageReport, PrefetchOutcome } from './client';
export { loadConfig } from './config';
export type { PromptClientOptions, FromConfigOptions, HostConfig, RemoteHost, LocalHost, FallbackOptions, FallbackPrompt } from './config';
export type { BreakerOptions } from './breaker';
export type { UsageOptions, UsageStats } from './usageQueue';
export { ForgeClient } from './forgeClient';
export type { ForgeClientOptions, PromptFileSource, RequestOptions } from './forgeClient';
export type { FollowOptions } from './eventStream';
export * from './errors';
export type * from './forgeTypes';
