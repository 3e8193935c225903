/**
 * Group commit: many concurrent requests share one transaction, and each request is answered only after the
 * transaction holding its item has committed.
 *
 * Batches form while the database is busy, not on a timer. Items wait in one queue; at most
 * `maxConcurrentCommits` flushers run (keep it below the pool size so reads and other routes still get a
 * connection). A free flusher takes everything queued, up to `maxBatchSize`, and commits it. Under light load
 * the queue holds one item when a flusher looks, so a batch is that one item and no latency is added; under a
 * surge every flusher is busy and the queue fills while they commit, so batches grow with the load (a fixed
 * 5 ms window was measured to cost 40% of throughput: it delays light load and does not adapt to heavy load).
 *
 * Failures:
 * - An error the caller's `isItemError` recognises (a constraint or a bad value in one item) fails the whole
 *   transaction, so the batch is bisected: each half is committed on its own, recursively, until the poison
 *   item is alone and only it is rejected. Its neighbours are not failed.
 * - Any other error (connection lost, database restarting) rejects every item of the batch with that error,
 *   which the HTTP layer answers 503 UNAVAILABLE. If the connection was lost *during COMMIT*, the outcome is
 *   unknown: the transaction may have committed. That is why every intake item carries an idempotency key
 *   written in the same transaction as its ticket: the client's retry with the same key either finds the key
 *   (and gets the original result) or finds nothing (and the ticket is created once). No retry here, because
 *   this process cannot know either.
 * - An item that waited longer than `maxWaitMs` before a flusher took it is rejected as overloaded without
 *   being written (certainly not committed, so 503 + Retry-After is safe).
 */
export interface GroupCommitOptions<I, R> {
  /** Writes the items in ONE transaction and returns one result per item, in order; throws if it rolled back. */
  commit(items: readonly I[]): Promise<readonly R[]>;
  /** True when the error is caused by the data of some item (the batch is then bisected). */
  isItemError(error: unknown): boolean;
  maxBatchSize: number;
  maxConcurrentCommits: number;
  /** Items queued (not yet taken by a flusher) beyond which `submit` refuses at once. */
  maxQueued: number;
  /** How long an item may wait in the queue before it is refused rather than written. */
  maxWaitMs: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

/** Thrown by `submit` (or for a stale item) when the queue is past its bounds; nothing was written. */
export class QueueOverloadedError extends Error {
  constructor(readonly reason: 'queue-full' | 'waited-too-long' | 'draining') {
    super(`intake queue overloaded (${reason})`);
  }
}

interface Pending<I, R> {
  item: I;
  enqueuedAt: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  batches: number;
  items: number;
  bisections: number;
  largestBatch: number;
}

export class GroupCommitter<I, R> {
  private readonly queue: Pending<I, R>[] = [];
  private head = 0;
  private flushers = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  readonly stats: GroupCommitStats = { batches: 0, items: 0, bisections: 0, largestBatch: 0 };

  constructor(private readonly options: GroupCommitOptions<I, R>) {
    if (options.maxBatchSize < 1 || options.maxConcurrentCommits < 1) {
      throw new Error('maxBatchSize and maxConcurrentCommits must be at least 1');
    }
    this.now = options.now ?? Date.now;
  }

  /** Items waiting for a flusher. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Flushers currently committing. */
  get activeCommits(): number {
    return this.flushers;
  }

  /** Resolves with the item's result once its transaction has committed. */
  submit(item: I): Promise<R> {
    if (this.draining) return Promise.reject(new QueueOverloadedError('draining'));
    if (this.queued >= this.options.maxQueued) {
      return Promise.reject(new QueueOverloadedError('queue-full'));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, enqueuedAt: this.now(), resolve, reject });
      if (this.flushers < this.options.maxConcurrentCommits) {
        this.flushers += 1;
        // A microtask, not a timer: items submitted in the same tick join this batch, nothing waits longer.
        queueMicrotask(() => void this.runFlusher());
      }
    });
  }

  /** Stops taking new items and resolves when every queued item has been committed or refused. */
  async drain(): Promise<void> {
    this.draining = true;
    if (this.flushers === 0 && this.queued === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private takeBatch(): Pending<I, R>[] {
    const end = Math.min(this.queue.length, this.head + this.options.maxBatchSize);
    const batch = this.queue.slice(this.head, end);
    this.head = end;
    // Compact now and then so the array does not grow without bound under a steady surge.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return batch;
  }

  private async runFlusher(): Promise<void> {
    try {
      while (this.queued > 0) {
        const taken = this.takeBatch();
        const now = this.now();
        const batch: Pending<I, R>[] = [];
        for (const pending of taken) {
          if (now - pending.enqueuedAt > this.options.maxWaitMs) {
            pending.reject(new QueueOverloadedError('waited-too-long'));
          } else batch.push(pending);
        }
        if (batch.length) await this.commitOrBisect(batch);
      }
    } finally {
      this.flushers -= 1;
      if (this.flushers === 0 && this.queued === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  private async commitOrBisect(batch: Pending<I, R>[]): Promise<void> {
    let results: readonly R[];
    try {
      this.stats.batches += 1;
      this.stats.items += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      results = await this.options.commit(batch.map((pending) => pending.item));
    } catch (error) {
      if (batch.length > 1 && this.options.isItemError(error)) {
        this.stats.bisections += 1;
        const middle = Math.ceil(batch.length / 2);
        await this.commitOrBisect(batch.slice(0, middle));
        await this.commitOrBisect(batch.slice(middle));
        return;
      }
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`commit returned ${results.length} results for ${batch.length} items`);
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]!));
  }
}
