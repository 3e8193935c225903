import { describe, expect, it } from 'vitest';
import { GroupCommitter, QueueOverloadedError, type GroupCommitOptions } from './group-commit.ts';

class PoisonError extends Error {}

/** A fake database: each commit waits until the test releases it, and records the batches it saw. */
function fakeDatabase(poison: ReadonlySet<number> = new Set()) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  let failNext: Error | undefined;
  return {
    batches,
    failNextWith(error: Error) {
      failNext = error;
    },
    /** Lets every commit started so far finish. */
    releaseAll() {
      for (const open of gates.splice(0)) open();
    },
    get waiting() {
      return gates.length;
    },
    commit: async (items: readonly number[]): Promise<readonly string[]> => {
      batches.push([...items]);
      await new Promise<void>((resolve) => gates.push(resolve));
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      if (items.some((item) => poison.has(item))) throw new PoisonError('check violation');
      return items.map((item) => `ticket-${item}`);
    },
  };
}

function committer(
  database: ReturnType<typeof fakeDatabase>,
  overrides: Partial<GroupCommitOptions<number, string>> = {},
) {
  return new GroupCommitter<number, string>({
    commit: database.commit,
    isItemError: (error) => error instanceof PoisonError,
    maxBatchSize: 3,
    maxConcurrentCommits: 2,
    maxQueued: 100,
    maxWaitMs: 1000,
    ...overrides,
  });
}

/** Runs queued microtasks and promise continuations. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('commits a lone request alone and at once (no added latency under light load)', async () => {
    const database = fakeDatabase();
    const group = committer(database);
    const result = group.submit(1);
    await settle();
    expect(database.batches).toEqual([[1]]);
    database.releaseAll();
    await expect(result).resolves.toBe('ticket-1');
  });

  it('forms batches from what queued while every flusher was busy, up to the batch size', async () => {
    const database = fakeDatabase();
    const group = committer(database);
    const results = [group.submit(1)];
    await settle();
    results.push(group.submit(2));
    await settle();
    // Both flushers are busy with a batch each; the next arrivals queue.
    const later = [3, 4, 5, 6, 7].map((n) => group.submit(n));
    await settle();
    expect(database.batches).toEqual([[1], [2]]);
    expect(group.queued).toBe(5);
    database.releaseAll();
    await settle();
    expect(database.batches).toEqual([[1], [2], [3, 4, 5], [6, 7]]);
    database.releaseAll();
    await expect(Promise.all([...results, ...later])).resolves.toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => `ticket-${n}`),
    );
  });

  it('runs at most maxConcurrentCommits transactions at once', async () => {
    const database = fakeDatabase();
    const group = committer(database, { maxBatchSize: 1 });
    const results = [1, 2, 3, 4].map((n) => group.submit(n));
    await settle();
    expect(database.waiting).toBe(2);
    expect(group.activeCommits).toBe(2);
    for (let i = 0; i < 2; i++) {
      database.releaseAll();
      await settle();
    }
    await Promise.all(results);
    expect(database.batches).toEqual([[1], [2], [3], [4]]);
  });

  it('does not answer an item before its transaction committed', async () => {
    const database = fakeDatabase();
    const group = committer(database);
    let answered = false;
    const result = group.submit(1).then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    database.releaseAll();
    await result;
    expect(answered).toBe(true);
  });

  it('bisects a failing batch so one poison item fails alone', async () => {
    const database = fakeDatabase(new Set([3]));
    const group = committer(database, { maxBatchSize: 4, maxConcurrentCommits: 1 });
    const results = [1, 2, 3, 4].map((n) => group.submit(n).then(String, (e: unknown) => e));
    for (let i = 0; i < 6; i++) {
      database.releaseAll();
      await settle();
    }
    const outcomes = await Promise.all(results);
    expect(outcomes.slice(0, 2)).toEqual(['ticket-1', 'ticket-2']);
    expect(outcomes[2]).toBeInstanceOf(PoisonError);
    expect(outcomes[3]).toBe('ticket-4');
    expect(database.batches).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    expect(group.stats.bisections).toBe(2);
  });

  it('rejects every item of the batch with a transient error, without bisecting', async () => {
    const database = fakeDatabase();
    const group = committer(database, { maxConcurrentCommits: 1 });
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    database.failNextWith(lost);
    const results = [1, 2, 3].map((n) => group.submit(n).then(String, (e: unknown) => e));
    await settle();
    database.releaseAll();
    expect(await Promise.all(results)).toEqual([lost, lost, lost]);
    expect(database.batches).toHaveLength(1);
  });

  it('refuses at once when the queue is full, and refuses items that waited too long', async () => {
    let clock = 0;
    const database = fakeDatabase();
    const group = committer(database, {
      maxConcurrentCommits: 1,
      maxQueued: 2,
      maxWaitMs: 50,
      now: () => clock,
    });
    const first = group.submit(1);
    await settle();
    const queued = [2, 3].map((n) => group.submit(n).then(String, (e: unknown) => e));
    await expect(group.submit(4)).rejects.toEqual(new QueueOverloadedError('queue-full'));
    clock = 51;
    database.releaseAll();
    await first;
    const outcomes = await Promise.all(queued);
    expect(outcomes.map((o) => (o as QueueOverloadedError).reason)).toEqual([
      'waited-too-long',
      'waited-too-long',
    ]);
    expect(database.batches).toEqual([[1]]);
  });

  it('drains: refuses new items and resolves once the queue is committed', async () => {
    const database = fakeDatabase();
    const group = committer(database, { maxConcurrentCommits: 1 });
    const results = [group.submit(1)];
    await settle();
    results.push(group.submit(2));
    let drained = false;
    const draining = group.drain().then(() => (drained = true));
    await expect(group.submit(9)).rejects.toBeInstanceOf(QueueOverloadedError);
    database.releaseAll();
    await settle();
    expect(drained).toBe(false);
    database.releaseAll();
    await draining;
    await expect(Promise.all(results)).resolves.toEqual(['ticket-1', 'ticket-2']);
  });
});
