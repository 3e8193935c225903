import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import { runJobsOnce as run } from './runner.ts';
import type { JobHandler } from './task.ts';

/**
 * Runs the due jobs of the given tasks (all registered tasks when omitted) once, silently, on the test
 * database. `handlers` replaces the registry, for tests of the queue itself.
 */
export async function runJobsOnce(
  db: Db,
  options: { connectionString: string; tasks?: string[]; handlers?: Record<string, JobHandler> },
): Promise<void> {
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  await run({ connectionString: options.connectionString, db, log }, options.tasks, options.handlers);
}
