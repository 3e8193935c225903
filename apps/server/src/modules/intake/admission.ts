/**
 * Admission control: a bounded amount of work in flight per process. Each route has a priority class; when
 * the process is busy, the lower classes are refused first (503 OVERLOADED + Retry-After), so that during a
 * surge intake and agent replies keep going while reports and exports wait.
 *
 * A class may only start a request while the total in flight is below its share of the limit: `low` below
 * half, `normal` below 80%, `critical` up to the whole limit. Pure: no clock, no I/O.
 */
export type Priority = 'critical' | 'normal' | 'low';

export const PRIORITY_SHARE: Record<Priority, number> = { critical: 1, normal: 0.8, low: 0.5 };

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class AdmissionController {
  private inFlight = 0;

  constructor(
    /** The most requests this process works on at once. */
    readonly maxInFlight: number,
    private readonly retryAfterSeconds = 1,
  ) {}

  get current(): number {
    return this.inFlight;
  }

  /** Admits a request (the caller must `release()` it when it ends) or refuses it. */
  tryAdmit(priority: Priority): Admission {
    const cap = Math.max(1, Math.floor(this.maxInFlight * PRIORITY_SHARE[priority]));
    if (this.inFlight >= cap) {
      // Lower classes are told to come back later than critical ones, to spread their retries.
      const factor = priority === 'critical' ? 1 : priority === 'normal' ? 2 : 5;
      return { admitted: false, retryAfterSeconds: this.retryAfterSeconds * factor };
    }
    this.inFlight += 1;
    return { admitted: true };
  }

  release(): void {
    if (this.inFlight > 0) this.inFlight -= 1;
  }
}
