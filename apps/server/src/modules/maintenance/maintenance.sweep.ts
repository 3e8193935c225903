import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { startPeriodic } from '../../lib/periodic.ts';
import { AssignmentService } from '../assignment/assignment.service.ts';
import type { LivePublisher } from '../live/live-events.ts';
import { sweepSla } from '../sla/sla-breach.sweep.ts';
import { sweepTaskOlaForTenant } from '../tasks/task-ola.sweep.ts';
import { expireAllDueAccounts } from '../users/account-expiry.sweep.ts';

type Db = Kysely<Database>;

const SLA_BATCH = 500;

export interface MaintenanceResult {
  slaWarned: number;
  slaBreached: number;
  accountsExpired: number;
  ticketsDispatched: number;
  /** Department tasks past their OLA, escalated to their department's lead. */
  tasksEscalated: number;
}

/**
 * The time-driven duties of a help desk, one pass: SLA warnings and breaches (with their escalations),
 * accounts past their expiry, and waiting tickets handed to agents who have capacity again (which also picks
 * up a new ticket whose assignment was lost with a process). Every part is a bounded sweep that is harmless
 * when another node runs it at the same time.
 */
export async function runMaintenance(
  db: Db,
  now: Date,
  options: { tenantId?: string; dispatchLimit?: number; live?: LivePublisher } = {},
): Promise<MaintenanceResult> {
  const tenantIds = options.tenantId
    ? [options.tenantId]
    : (await db.selectFrom('tenants').select('id').execute()).map((t) => t.id);
  const sla = { warned: 0, breached: 0 };
  for (const id of tenantIds) {
    // Bounded: at most ten full batches per tenant per pass; the next pass takes the rest.
    for (let batch = 0; batch < 10; batch++) {
      const r = await sweepSla(db, id, now, SLA_BATCH, options.live);
      sla.warned += r.warned;
      sla.breached += r.breached;
      if (r.warned < SLA_BATCH && r.breached < SLA_BATCH) break;
    }
  }
  const accountsExpired = await expireAllDueAccounts(db, now, { tenantId: options.tenantId });
  let tasksEscalated = 0;
  for (const id of tenantIds) tasksEscalated += await sweepTaskOlaForTenant(db, id, now);
  const assignment = new AssignmentService(db, () => now, options.live);
  let ticketsDispatched = 0;
  for (const id of tenantIds)
    ticketsDispatched += await assignment.dispatchWaiting(id, options.dispatchLimit ?? 100);
  return {
    slaWarned: sla.warned,
    slaBreached: sla.breached,
    accountsExpired,
    ticketsDispatched,
    tasksEscalated,
  };
}

/** Runs runMaintenance every `intervalMs` in this process; returns `stop`. */
export function startMaintenance(
  db: Db,
  options: {
    intervalMs: number;
    log: (message: string, error?: unknown) => void;
    now?: () => Date;
    live?: LivePublisher;
  },
): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  return startPeriodic(
    async () => {
      await runMaintenance(db, now(), { live: options.live });
    },
    options.intervalMs,
    (error) => options.log('maintenance sweep failed', error),
  );
}
