/**
 * Failed console logins per client address in a sliding window: past `max`, the address is
 * refused until its oldest failure leaves the window. In memory, per process: it slows a
 * token guesser down; the tokens themselves (128-bit random in the dev stack) are the defence.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds until `key` may try again, or 0. */
  blockedFor(key: string, now = Date.now()): number {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent.length >= this.max ? Math.ceil((recent[0]! + this.windowMs - now) / 1000) : 0;
  }

  fail(key: string, now = Date.now()): void {
    if (this.failures.size > 10_000) this.failures.clear(); // a flood of addresses must not grow memory
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
