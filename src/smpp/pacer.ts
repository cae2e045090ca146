import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces submits to a rate (per bind) with the Generic Cell Rate Algorithm in its
 * virtual-scheduling form (ITU-T I.371 §4.4.2): each send is due one `interval` after the
 * previous one's theoretical time (TAT); a send may go up to `tolerance` early, so a timer
 * firing late is caught up and the average rate equals the cap instead of drifting below
 * it. `burst` sends may leave back to back; never more.
 */
export class Pacer {
  private tat = 0;
  private readonly interval: number;
  private readonly tolerance: number;
  /** The caller before the next one: each is scheduled only when its turn comes. */
  private turn: Promise<void> = Promise.resolve();

  /** `tps` 0 means no cap. `burst` defaults to 50 ms worth of sends (at least 1). */
  constructor(
    readonly tps: number,
    burst = Math.max(1, Math.ceil(tps / 20)),
  ) {
    this.interval = tps > 0 ? 1000 / tps : 0;
    this.tolerance = this.interval * (Math.max(1, burst) - 1);
  }

  /** Resolves when the next send is allowed; callers are served in call order. */
  async take(): Promise<void> {
    if (this.interval === 0) {
      const rest = this.tat - performance.now();
      if (rest > 0) await sleep(rest);
      return;
    }
    const mine = this.turn.then(() => this.due());
    this.turn = mine;
    return mine;
  }

  /**
   * Checked against the clock when the caller's turn comes, not when it asked: after a timer
   * that fired late (a busy process), the sends due meanwhile do not all leave at once.
   */
  private async due(): Promise<void> {
    for (;;) {
      const now = performance.now();
      const start = Math.max(now, this.tat - this.tolerance);
      if (start <= now) {
        this.tat = Math.max(now, this.tat) + this.interval;
        return;
      }
      await sleep(start - now);
    }
  }

  /** Nothing leaves before `ms` from now (the SMSC said ESME_RTHROTTLED / RMSGQFUL). */
  pause(ms: number): void {
    this.tat = Math.max(this.tat, performance.now() + ms + this.tolerance);
  }
}

/** A counting semaphore: at most `size` holders; waiters are served first come, first served. */
export class Window {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {}

  get inFlight(): number {
    return this.used;
  }
  get queued(): number {
    return this.waiters.length;
  }

  async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.used--;
  }
}
