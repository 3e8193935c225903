import type { JobContext } from '../../jobs/task.ts';
import { purgeEventIds } from './order-event.repository.ts';

/** Cron-run, so ':' rather than '.' (graphile-worker's crontab does not accept dots in task names). */
export const PURGE_TASK = 'shops:purge-event-ids';

/**
 * Event ids are kept long enough to outlast every platform's retries (Shopify retries a delivery for up to
 * 48 hours; the demo shop backs off to ten minutes): seven days, then they go in bounded deletes.
 */
export const EVENT_ID_RETENTION_MS = 7 * 24 * 3_600_000;

export async function purgeEventIdsTask(
  _payload: unknown,
  ctx: Pick<JobContext, 'db' | 'now'>,
): Promise<void> {
  const before = new Date(ctx.now().getTime() - EVENT_ID_RETENTION_MS);
  const tenants = await ctx.db.selectFrom('shopConnections').select('tenantId').distinct().execute();
  for (const { tenantId } of tenants) {
    // Bounded batches keep each statement short during business hours; the next run takes the rest.
    for (let round = 0; round < 100; round++) {
      if ((await purgeEventIds(ctx.db, tenantId, before, 10_000)) < 10_000) break;
    }
  }
}
