import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import {
  Logger,
  parseCrontab,
  run,
  runMigrations,
  runOnce,
  type LogLevel,
  type Runner,
  type Task,
  type TaskList,
} from 'graphile-worker';
import type { Db } from '../db/database.ts';
import { crontabLines } from './crontab.ts';
import type { JobHandler } from './task.ts';
import { tasks as allTasks } from './tasks.ts';

export interface JobRunnerDeps {
  /** graphile-worker keeps its own small pool (its LISTEN connection must not starve request handling). */
  connectionString: string;
  db: Db;
  log: FastifyBaseLogger;
  redisUrl?: string;
}

/** graphile-worker's logger, speaking through pino; its chatty info lines go to debug. */
function loggerFor(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = { scope, ...(meta && typeof meta === 'object' ? meta : {}) };
    // LogLevel is a const enum of these strings; compare as strings.
    const name = String(level);
    if (name === 'error') log.error(fields, message);
    else if (name === 'warning') log.warn(fields, message);
    else log.debug(fields, message);
  });
}

function taskListFor(
  deps: JobRunnerDeps,
  names?: string[],
  registry: Record<string, JobHandler> = allTasks,
): TaskList {
  const list: TaskList = {};
  for (const [name, handler] of Object.entries(registry)) {
    if (names && !names.includes(name)) continue;
    const task: Task = (payload, helpers) =>
      handler(payload, {
        db: deps.db,
        log: deps.log.child({ job: name, jobId: helpers.job.id }),
        redisUrl: deps.redisUrl,
        now: () => new Date(),
        attempt: helpers.job.attempts,
      });
    list[name] = task;
  }
  return list;
}

/** Creates or upgrades graphile-worker's own schema (`graphile_worker`); safe from several processes. */
export async function installJobQueue(connectionString: string, log?: FastifyBaseLogger): Promise<void> {
  await runMigrations({ connectionString, ...(log ? { logger: loggerFor(log) } : {}) });
}

/**
 * Runs the job worker inside a server process: every node takes jobs, so there is no worker to lose.
 * `stop()` lets running jobs finish (graceful shutdown), then closes the runner's pool.
 */
export async function startJobRunner(
  deps: JobRunnerDeps,
  options: { concurrency?: number; pollIntervalMs?: number } = {},
): Promise<{ stop: () => Promise<void> }> {
  const concurrency = options.concurrency ?? 2;
  const runner: Runner = await run({
    connectionString: deps.connectionString,
    maxPoolSize: concurrency + 2,
    concurrency,
    pollInterval: options.pollIntervalMs ?? 2_000,
    noHandleSignals: true,
    logger: loggerFor(deps.log),
    taskList: taskListFor(deps),
    parsedCronItems: parseCrontab(crontabLines.join('\n')),
  });
  return {
    stop: async () => {
      await runner.stop();
    },
  };
}

/**
 * Runs every job that is due now, then returns — for tests and `peakdesk jobs run-once`. `tasks` limits it to
 * some task names, so that a test does not pick up jobs that other test files left for their own tasks.
 */
export async function runJobsOnce(
  deps: JobRunnerDeps,
  tasks?: string[],
  registry?: Record<string, JobHandler>,
): Promise<void> {
  const taskList = taskListFor(deps, tasks, registry);
  await runOnce({
    connectionString: deps.connectionString,
    maxPoolSize: 2,
    noHandleSignals: true,
    logger: loggerFor(deps.log),
    taskList,
  });
  // graphile-worker records a job's completion or failure without awaiting it, so runOnce can return while
  // those writes are in flight: wait until none of these tasks' jobs is still locked (bounded).
  const names = Object.keys(taskList);
  const deadline = Date.now() + 10_000;
  while (names.length && Date.now() < deadline) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE task_identifier = ANY(${names}::text[]) AND locked_at IS NOT NULL`.execute(deps.db);
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
