import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { startPeriodic } from '../../lib/periodic.ts';
import { tenantsWithOnlineAgents } from '../assignment/assignment.repository.ts';
import { AssignmentService } from '../assignment/assignment.service.ts';
import { enqueueOrderEnrichment } from '../shops/enrich-ticket.task.ts';
import type { LivePublisher } from '../live/live-events.ts';
import {
  claimDueJobs,
  markJobFailed,
  purgeDoneJobs,
  purgeKeys,
  purgeTenants,
  type DueJob,
} from './intake.repository.ts';

type Db = Kysely<Database>;

/**
 * Follow-up work of intake, run from the outbox after the ticket's transaction committed. Jobs are written in
 * that same transaction (`outbox_jobs`), so a process that dies after acknowledging a ticket leaves its job
 * behind for the next sweep of any node. A sweep claims due jobs with FOR UPDATE SKIP LOCKED, so two nodes
 * sweeping at once never take the same job; a job whose work is done is marked and never run again.
 *
 * `ticket.created` (the one kind so far) is a small real enrichment: it counts the requester's open tickets
 * at the time the job runs and records `{ requesterOpenTickets, repeatContact }` on the job, the signal a
 * notification or routing step reads to spot a customer chasing the same problem through several tickets.
 */
export const TICKET_CREATED = 'ticket.created';

/** Runs up to `limit` due jobs (of one tenant, when given); returns how many were completed. */
export async function runDueJobs(
  db: Db,
  now: Date,
  limit = 500,
  tenantId?: string,
  live?: LivePublisher,
): Promise<number> {
  let claimed: DueJob[] = [];
  let done: number;
  try {
    done = await db.transaction().execute(async (tx) => {
      claimed = await claimDueJobs(tx, now, limit, tenantId);
      if (claimed.length === 0) return 0;
      const results = await enrichCreatedTickets(
        tx,
        claimed.filter((job) => job.kind === TICKET_CREATED),
      );
      // Tickets quoting an order: the shop is asked by a durable job, never inside this transaction.
      await enqueueOrderEnrichment(
        tx,
        claimed.flatMap((job) =>
          job.kind === TICKET_CREATED &&
          typeof job.payload.orderNumber === 'string' &&
          typeof job.payload.ticketId === 'string'
            ? [{ tenantId: job.tenantId, ticketId: job.payload.ticketId }]
            : [],
        ),
      );
      const rows = claimed.map((job) => ({
        tenant_id: job.tenantId,
        id: job.id,
        result: results.get(job.id) ?? { skipped: `unknown job kind ${job.kind}` },
      }));
      await sql`
        UPDATE outbox_jobs AS j
        SET done_at = ${now}, attempts = j.attempts + 1, result = v.result
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v (tenant_id uuid, id uuid, result jsonb)
        WHERE j.tenant_id = v.tenant_id AND j.id = v.id`.execute(tx);
      return claimed.length;
    });
  } catch (error) {
    if (claimed.length === 0) throw error;
    // The batch rolled back; push its jobs back with a growing delay so a poison job does not spin.
    const message = error instanceof Error ? error.message : String(error);
    await db.transaction().execute(async (tx) => {
      for (const job of claimed) {
        const delayMs = Math.min(3_600_000, 1000 * 2 ** Math.min(job.attempts, 12));
        await markJobFailed(tx, job, message, new Date(now.getTime() + delayMs));
      }
    });
    return 0;
  }
  // Outside the try: the jobs are done whatever happens to an assignment (a failure is the sweep's to log).
  await assignCreatedTickets(db, claimed, now, live);
  return done;
}

/**
 * Hands each new ticket to the best eligible agent, after the job's commit: assignment takes agent row locks,
 * which must never be held inside intake's group commit. A ticket whose assignment is lost here (the process
 * died in between) is still unassigned and open, and the periodic dispatch of waiting tickets picks it up.
 */
async function assignCreatedTickets(
  db: Db,
  jobs: readonly DueJob[],
  now: Date,
  live?: LivePublisher,
): Promise<void> {
  const created = jobs.filter(
    (job): job is DueJob & { payload: { ticketId: string } } =>
      job.kind === TICKET_CREATED && typeof job.payload.ticketId === 'string',
  );
  if (created.length === 0) return;
  // One statement instead of a transaction per ticket that could only end "queued" (measured in a surge on
  // a tenant with nobody online: 3 statements + BEGIN/COMMIT per ticket, more PostgreSQL CPU than intake).
  const staffed = await tenantsWithOnlineAgents(db, [...new Set(created.map((job) => job.tenantId))]);
  const assignment = new AssignmentService(db, () => now, live);
  for (const job of created) {
    if (staffed.has(job.tenantId)) await assignment.assignTicket(job.tenantId, job.payload.ticketId);
  }
}

async function enrichCreatedTickets(
  tx: Db,
  jobs: readonly DueJob[],
): Promise<Map<string, Record<string, unknown>>> {
  const results = new Map<string, Record<string, unknown>>();
  const requesters = jobs
    .map((job) => ({ job, requesterId: job.payload.requesterId }))
    .filter((entry): entry is { job: DueJob; requesterId: string } => typeof entry.requesterId === 'string');
  if (requesters.length) {
    // One index probe of tickets_requester_idx per requester. A `(tenant_id, requester_id) IN (…)` list of
    // up to 500 pairs was planned as a scan of all tickets (hash join, or a 500-way OR per row): it grew with
    // the table and was most of the sweep's PostgreSQL time in a surge (bench:intake-cost followUp).
    const { rows: counts } = await sql<{ tenantId: string; requesterId: string; open: number }>`
      SELECT w.tenant_id AS "tenantId", w.requester_id AS "requesterId",
        (SELECT count(*) FROM tickets t
         WHERE t.tenant_id = w.tenant_id AND t.requester_id = w.requester_id
           AND t.status NOT IN ('solved', 'closed'))::int AS open
      FROM (SELECT DISTINCT tenant_id, requester_id
            FROM unnest(${requesters.map((r) => r.job.tenantId)}::uuid[],
                        ${requesters.map((r) => r.requesterId)}::uuid[]) AS p (tenant_id, requester_id)) AS w`.execute(
      tx,
    );
    const byRequester = new Map(counts.map((c) => [`${c.tenantId}/${c.requesterId}`, Number(c.open)]));
    for (const { job, requesterId } of requesters) {
      const open = byRequester.get(`${job.tenantId}/${requesterId}`) ?? 0;
      results.set(job.id, { requesterOpenTickets: open, repeatContact: open > 1 });
    }
  }
  for (const job of jobs) if (!results.has(job.id)) results.set(job.id, { requesterOpenTickets: null });
  return results;
}

export interface SweepOptions {
  /** Milliseconds between sweeps (each one jittered by up to ±20%). */
  intervalMs: number;
  /** Idempotency keys are kept at least this long. */
  keyRetentionMs: number;
  /** Completed follow-up jobs are deleted this long after they were created. */
  doneJobRetentionMs: number;
  log: (message: string, error?: unknown) => void;
  now?: () => Date;
  /** Hand-outs after intake are published here (live updates). */
  live?: LivePublisher;
}

/**
 * Runs the outbox, the idempotency-key purge and the purge of completed jobs periodically in this process.
 * Every node may run it: the jitter spreads nodes apart and SKIP LOCKED keeps them from taking the same
 * rows. Returns `stop`, which waits for a sweep in progress.
 */
export function startIntakeSweeps(db: Db, options: SweepOptions): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  let stopped = false;
  const stop = startPeriodic(
    async () => {
      const at = now();
      while ((await runDueJobs(db, at, 500, undefined, options.live)) === 500 && !stopped) {
        /* keep going while a full batch was due */
      }
      // Both purges go over the same tenants: listed once per sweep.
      const tenantIds = await purgeTenants(db);
      await purgeKeys(db, new Date(at.getTime() - options.keyRetentionMs), 5000, tenantIds);
      await purgeDoneJobs(db, new Date(at.getTime() - options.doneJobRetentionMs), 5000, tenantIds);
    },
    options.intervalMs,
    (error) => options.log('intake sweep failed', error),
  );
  return () => {
    stopped = true;
    return stop();
  };
}
