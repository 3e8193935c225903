import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { testDb } from '../../test/helpers.ts';
import { uuidv7 } from '../lib/ids.ts';
import { enqueueJob } from './queue.ts';
import { runJobsOnce } from './testing.ts';

const connectionString = inject('databaseUrl');

async function pendingJobs(task: string): Promise<{ attempts: number; lastError: string | null }[]> {
  const { rows } = await sql<{ attempts: number; lastError: string | null }>`
    SELECT attempts, last_error AS "lastError" FROM graphile_worker.jobs WHERE task_identifier = ${task}`.execute(
    testDb(),
  );
  return rows;
}

describe('durable jobs (graphile-worker)', () => {
  it('runs a job enqueued in a committed transaction, and none from a rolled-back one', async () => {
    const task = `test.record-${uuidv7()}`;
    const seen: unknown[] = [];
    await testDb()
      .transaction()
      .execute(async (tx) => enqueueJob(tx, task, { n: 1 }));
    await expect(
      testDb()
        .transaction()
        .execute(async (tx) => {
          await enqueueJob(tx, task, { n: 2 });
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');

    await runJobsOnce(testDb(), {
      connectionString,
      tasks: [task],
      handlers: { [task]: async (payload) => void seen.push(payload) },
    });
    expect(seen).toEqual([{ n: 1 }]);
    expect(await pendingJobs(task)).toEqual([]);
  });

  it('keeps one pending job per job key', async () => {
    const task = `test.keyed-${uuidv7()}`;
    const seen: unknown[] = [];
    await enqueueJob(testDb(), task, { v: 1 }, { jobKey: `${task}:k` });
    await enqueueJob(testDb(), task, { v: 2 }, { jobKey: `${task}:k` });
    await runJobsOnce(testDb(), {
      connectionString,
      tasks: [task],
      handlers: { [task]: async (payload) => void seen.push(payload) },
    });
    expect(seen).toEqual([{ v: 2 }]);
  });

  it('keeps a failing job with its error for a later retry', async () => {
    const task = `test.failing-${uuidv7()}`;
    await enqueueJob(testDb(), task, {}, { maxAttempts: 5 });
    await runJobsOnce(testDb(), {
      connectionString,
      tasks: [task],
      handlers: {
        [task]: async () => {
          throw new Error('shop unavailable');
        },
      },
    });
    const [job] = await pendingJobs(task);
    expect(job).toMatchObject({ attempts: 1 });
    expect(job?.lastError).toContain('shop unavailable');
  });
});
