/** Owns the recording of a run's accepted segments, one write per burst of submit_sm_resps. */
import type { AcceptedSegment } from '../store/run-store.js';
import type { BootstrapStatus } from '../record.js';

/** Writes one burst: the segments, whether it ends the run, whether to record the inline registration. */
export type RecordWrite = (
  segs: AcceptedSegment[],
  finish: boolean,
  registered: boolean,
) => Promise<BootstrapStatus | null>;

/**
 * Records a run's accepted segments, one Redis write per burst of submit_sm_resps. The
 * responses of one push usually arrive in one socket read, and their continuations run in
 * one microtask burst: a segment joins the batch as soon as its response is in, and the batch
 * is written on the next tick (after the burst, before any I/O), so a segment's record is
 * never later than it would be alone; the caller awaits it before the job can complete.
 * The write that brings the run to `total` also ends it (submitted, lease released).
 */
export class RunRecorder {
  private batch: AcceptedSegment[] = [];
  private pending: Promise<BootstrapStatus | null> | null = null;
  /** Segments whose record Redis has confirmed (a failed write must not let a later one end the run). */
  private confirmed: number;
  private registration: boolean;
  /** Whether a finishing write went through, and the status it returned (null: the record is gone). */
  finished = false;
  status: BootstrapStatus | null = null;

  constructor(
    private readonly write: RecordWrite,
    alreadyRecorded: number,
    private readonly total: number,
    registeredNow: boolean,
  ) {
    this.confirmed = alreadyRecorded;
    this.registration = registeredNow;
  }

  /** True while an inline registration has not gone out with a write (the caller records it on failure). */
  get registrationUnrecorded(): boolean {
    return this.registration;
  }

  /** Resolves once this segment's record is written. */
  add(seg: AcceptedSegment): Promise<BootstrapStatus | null> {
    this.batch.push(seg);
    this.pending ??= new Promise((resolve, reject) =>
      process.nextTick(() => {
        this.flush().then(resolve, reject);
      }),
    );
    return this.pending;
  }

  /**
   * Ends a run whose segments are all recorded but no write ended it: nothing was left to
   * submit (a re-run after its last record), or its bursts were in flight at the same time.
   */
  async finish(): Promise<void> {
    if (!this.finished) await this.flush();
  }

  private async flush(): Promise<BootstrapStatus | null> {
    const segs = this.batch;
    this.batch = [];
    this.pending = null;
    const finish = this.confirmed + segs.length >= this.total;
    const registered = this.registration;
    this.registration = false;
    try {
      const status = await this.write(segs, finish, registered);
      this.confirmed += segs.length;
      if (finish) {
        this.finished = true;
        this.status = status;
      }
      return status;
    } catch (err) {
      this.registration ||= registered;
      throw err;
    }
  }
}
