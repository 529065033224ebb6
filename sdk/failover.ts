/**
 * One host served by several forges (`url: [primary, replica1, …]`): each URL keeps its
 * own backend and circuit breaker; a call goes to the first URL not known down and moves
 * on to the next when that one fails as an outage (unreachable, timeout, 5xx). Every URL's
 * event stream is followed, so a change heard by any of them refreshes the cache.
 */
import type { Backend, ChangeListener, Resolved } from './backend';
import { ForgeApiError, ForgeUnreachableError } from './errors';
import type { UsageEvent } from './forgeTypes';
import type { Target } from './reference';

export class FailoverBackend implements Backend {
  readonly describe: string;

  constructor(readonly backends: Backend[]) {
    this.describe = backends.length === 1 ? backends[0].describe : `forges ${backends.map((b) => b.describe.replace(/^forge at /, '')).join(', ')}`;
  }

  available(): boolean {
    return this.backends.some((b) => b.available());
  }

  downReason(): string {
    return this.backends.map((b) => `${b.describe}: ${b.downReason()}`).join('; ');
  }

  resolve(target: Target, params: Record<string, unknown>): Promise<Resolved> {
    return this.inOrder((b) => b.resolve(target, params));
  }

  sendUsage(events: UsageEvent[]): Promise<void> {
    return this.inOrder((b) => b.sendUsage!(events));
  }

  watch(onChange: ChangeListener, onError: (error: unknown) => void): void {
    for (const b of this.backends) b.watch(onChange, onError);
  }

  async close(): Promise<void> {
    await Promise.all(this.backends.map((b) => b.close()));
  }

  /** The first up URL's answer; an outage moves on, any other answer (a 404, a 422) is final. */
  private async inOrder<T>(call: (b: Backend) => Promise<T>): Promise<T> {
    const up = this.backends.filter((b) => b.available());
    let last: unknown;
    for (const b of up.length ? up : this.backends) {
      try {
        return await call(b);
      } catch (error) {
        if (!isOutage(error)) throw error;
        last = error;
      }
    }
    throw last;
  }
}

function isOutage(error: unknown): boolean {
  return error instanceof ForgeUnreachableError || (error instanceof ForgeApiError && error.status >= 500);
}
