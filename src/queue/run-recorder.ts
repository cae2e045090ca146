import type { AcceptedSegment } from './push-run-store.js';
import type { BootstrapStatus } from './record.js';

/** Writes one burst: the segments, whether it ends the run, whether to record the inline registration. */
export type RecordWrite = (segs: AcceptedSegment[], finish: boolean, registered: boolean) => Promise<BootstrapStatus | null>;

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
  private recorded: number;
  private registration: boolean;
  /** The status the finishing write returned (null until then, or when the record is gone). */
  status: BootstrapStatus | null = null;

  constructor(private readonly write: RecordWrite, alreadyRecorded: number, private readonly total: number, registeredNow: boolean) {
    this.recorded = alreadyRecorded;
    this.registration = registeredNow;
  }

  /** True while an inline registration has not gone out with a write (the caller records it on failure). */
  get registrationUnrecorded(): boolean { return this.registration; }

  /** Resolves once this segment's record is written. */
  add(seg: AcceptedSegment): Promise<BootstrapStatus | null> {
    this.batch.push(seg);
    this.pending ??= new Promise((resolve, reject) => process.nextTick(() => { this.flush().then(resolve, reject); }));
    return this.pending;
  }

  /** Ends a run that had nothing left to submit (a re-run after its last record). */
  finishEmpty(): Promise<BootstrapStatus | null> {
    return this.flush();
  }

  private async flush(): Promise<BootstrapStatus | null> {
    const segs = this.batch;
    this.batch = [];
    this.pending = null;
    this.recorded += segs.length;
    const finish = this.recorded >= this.total;
    const registered = this.registration;
    this.registration = false;
    try {
      const status = await this.write(segs, finish, registered);
      if (finish) this.status = status;
      return status;
    } catch (err) {
      this.registration ||= registered;
      throw err;
    }
  }
}
