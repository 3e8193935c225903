import { sql, type Kysely } from 'kysely';

export interface EnqueueOptions {
  /** Deduplicates: a pending job with the same key is replaced, not doubled (graphile-worker job_key). */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** Jobs in one queue run one at a time, in order. */
  queueName?: string;
  /** Lower runs first (graphile-worker's convention); default 0. */
  priority?: number;
}

/**
 * Adds a durable job. Pass the transaction that writes the data the job belongs to: the job then exists if,
 * and only if, that data committed — nothing acknowledged is left without its follow-up work.
 */
export async function enqueueJob(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kysely instance or transaction
  db: Kysely<any>,
  task: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`
    SELECT graphile_worker.add_job(
      identifier => ${task},
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null},
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null},
      priority => ${options.priority ?? null}::int
    )`.execute(db);
}
