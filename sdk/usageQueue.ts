/**
 * Usage events on their way to the forge: batched, flushed in the background, bounded
 * (the oldest are dropped and counted when the forge is gone), and never a source of
 * exceptions for the app.
 */
import type { UsageEvent } from './forgeTypes';

export interface UsageOptions {
  /** Turn reporting off entirely. Default true. */
  enabled?: boolean;
  /** Events kept while the forge cannot take them. Default 10000. */
  maxQueue?: number;
  /** Events per request. Default 500. */
  maxBatch?: number;
  /** Background flush period. Default 2000. */
  flushIntervalMs?: number;
}

export interface UsageStats {
  queued: number;
  sent: number;
  dropped: number;
  failedFlushes: number;
}

/** Sends one batch; rejects when the forge did not take it. */
export type SendBatch = (events: UsageEvent[]) => Promise<unknown>;

export class UsageQueue {
  private queue: UsageEvent[] = [];
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly stats = { sent: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly send: SendBatch,
    options: UsageOptions = {},
    /** False while the forge is known down: events wait instead of failing a request. */
    private readonly canSend: () => boolean = () => true,
  ) {
    this.maxQueue = Math.max(1, options.maxQueue ?? 10_000);
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    const every = options.flushIntervalMs ?? 2000;
    this.timer = setInterval(() => void this.flush(), every);
    this.timer.unref();
  }

  push(event: UsageEvent): void {
    this.queue.push(event);
    this.trim();
  }

  getStats(): UsageStats {
    return { queued: this.queue.length, ...this.stats };
  }

  /** Sends everything queued, one batch at a time; resolves (never rejects) when done or stuck. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops the timer and makes a last attempt to send. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.canSend()) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.send(batch);
        this.stats.sent += batch.length;
      } catch {
        this.stats.failedFlushes++;
        // Put the batch back in front of anything queued meanwhile; the bound still holds.
        this.queue = batch.concat(this.queue);
        this.trim();
        return;
      }
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueue;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.stats.dropped += excess;
    }
  }
}
