import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { inScope } from '../tickets/ticket-scope.sql.ts';

/** Counts stop here ("1000+"): a queue badge needs the order of magnitude, not a scan of a huge backlog. */
export const COUNT_CAP = 1000;
/** "Breaching soon": open tickets due within this many minutes (or already overdue). */
export const BREACHING_MINUTES = 120;

export interface QueueCounts {
  mine: number | null;
  team: number | null;
  unassigned: number;
  breaching: number;
  cap: number;
}

/**
 * The badge counts of the agent workspace's queues, within the actor's ticket scope, each capped at
 * COUNT_CAP so that it costs at most that many index entries (mine: the assignee queue index; team: the
 * open-ticket floor index; unassigned: the waiting index; breaching: open tickets by due time).
 */
export async function countQueues(
  db: Kysely<Database>,
  actor: Actor,
  teamId: string | undefined,
  now: Date,
): Promise<QueueCounts> {
  const scope = ticketScope(actor);
  const capped = (where: (qb: ReturnType<typeof base>) => ReturnType<typeof base>) =>
    db
      .selectFrom(
        where(base())
          .select(sql<number>`1`.as('one'))
          .limit(COUNT_CAP)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  function base() {
    return db
      .selectFrom('tickets')
      .where('tickets.tenantId', '=', actor.tenantId)
      .where(inScope(scope))
      .where('tickets.status', 'not in', ['solved', 'closed']);
  }
  const horizon = new Date(now.getTime() + BREACHING_MINUTES * 60_000);
  const [mine, team, unassigned, breaching] = await Promise.all([
    actor.userId ? capped((q) => q.where('tickets.assigneeId', '=', actor.userId)) : null,
    teamId ? capped((q) => q.where('tickets.teamId', '=', teamId)) : null,
    capped((q) => q.where('tickets.assigneeId', 'is', null)),
    capped((q) => q.where('tickets.status', 'in', ['new', 'open']).where('tickets.nextDueAt', '<=', horizon)),
  ]);
  return { mine, team, unassigned, breaching, cap: COUNT_CAP };
}
