import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';

/** What a job handler gets besides its payload: storage, a logger and the time. Nothing else is shared. */
export interface JobContext {
  db: Db;
  log: FastifyBaseLogger;
  redisUrl?: string;
  now(): Date;
  /** The job's attempt number, from 1; handlers may lower their ambitions on late attempts. */
  attempt: number;
}

/**
 * A durable job's work. It may run more than once (a worker can die after the work and before the job is
 * marked done), so it must be idempotent; it throws to be retried with graphile-worker's backoff.
 */
export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;
