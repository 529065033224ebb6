/**
 * A circuit breaker per forge. After `failureThreshold` consecutive failures it opens:
 * callers skip the network entirely (no per-call timeout cost) and a background probe
 * asks the forge's health route, with backoff, until it answers and closes the circuit.
 */

export interface BreakerOptions {
  /** Consecutive failures (network errors, timeouts, 5xx) that open the circuit. Default 3. */
  failureThreshold?: number;
  /** First probe delay once open; doubles per failed probe up to `maxProbeIntervalMs`. Default 500. */
  probeIntervalMs?: number;
  /** Default 10000. */
  maxProbeIntervalMs?: number;
}

export type BreakerState = 'closed' | 'open';

export class CircuitBreaker {
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = false;
  state: BreakerState = 'closed';
  /** Why the circuit opened, for error messages. */
  lastError: unknown;
  private readonly threshold: number;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private interval: number;

  constructor(
    /** Resolves when the forge is healthy, rejects otherwise. */
    private readonly probe: () => Promise<unknown>,
    options: BreakerOptions = {},
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {
    this.threshold = options.failureThreshold ?? 3;
    this.minInterval = options.probeIntervalMs ?? 500;
    this.maxInterval = options.maxProbeIntervalMs ?? 10_000;
    this.interval = this.minInterval;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  success(): void {
    this.failures = 0;
    if (this.state === 'open') this.close();
  }

  failure(error: unknown): void {
    this.lastError = error;
    this.failures++;
    if (this.state === 'closed' && this.failures >= this.threshold) this.open();
  }

  /** Opens the circuit at once, e.g. when the event stream reports the forge gone. */
  open(): void {
    if (this.state === 'open' || this.stopped) return;
    this.state = 'open';
    this.interval = this.minInterval;
    this.schedule();
    this.onChange('open');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private close(): void {
    this.state = 'closed';
    this.failures = 0;
    clearTimeout(this.timer);
    this.onChange('closed');
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runProbe(), this.interval);
    // The probe must never keep an app alive on its own.
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.probing || this.state !== 'open') return;
    this.probing = true;
    try {
      await this.probe();
      this.probing = false;
      if (this.state === 'open') this.close();
    } catch (error) {
      this.probing = false;
      this.lastError = error;
      this.interval = Math.min(this.maxInterval, this.interval * 2);
      if (this.state === 'open') this.schedule();
    }
  }
}
