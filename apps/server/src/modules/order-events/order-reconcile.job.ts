import type { OrderSummary, ShopEvent } from '@peakdesk/commerce';
import type { Db } from '../../db/database.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/task.ts';
import { findConnection } from '../shops/shop-connection.repository.ts';
import { defaultShopGateway, type ShopGateway } from '../shops/shop-gateway.ts';
import { RECONCILIATION_RAW_TYPE } from './event-plan.ts';
import { ingestBatch } from './order-event.ingest.ts';

/** Cron-run, so ':' rather than '.' (graphile-worker's crontab does not accept dots in task names). */
export const RECONCILE_ALL_TASK = 'shops:reconcile-orders';
export const RECONCILE_CONNECTION_TASK = 'shops.reconcile-connection';

/** Where a connection's first reconciliation starts: recent changes, not the shop's whole history. */
const FIRST_LOOKBACK_MS = 60 * 60_000;
const PAGE_SIZE = 100;
/** Per run; a longer backlog continues from the stored cursor at the next run. */
const MAX_PAGES = 20;

/**
 * Reconciliation catches what pushes missed (platforms drop events; Taobao and JD mostly poll): every
 * connection's changed orders since its stored cursor become events that take exactly the path of pushed
 * ones (`ingestBatch`): dedupe by a synthetic id per order version, never backwards, timeline entries and a
 * re-fetch for orders with open tickets. The id `reconcile:<order>:<version>` makes a re-read page harmless.
 */
export function eventFromSummary(summary: OrderSummary): ShopEvent {
  return {
    eventId: `reconcile:${summary.externalId}:${summary.version}`,
    type: 'order.updated',
    occurredAt: summary.updatedAt,
    orderId: summary.externalId,
    orderNumber: summary.orderNumber,
    orderVersion: summary.version,
    rawType: RECONCILIATION_RAW_TYPE,
    raw: { status: summary.status, rawStatus: summary.rawStatus },
  };
}

/** Cron (every 5 minutes): one reconciliation job per active connection, keyed so they never pile up. */
export async function reconcileAllTask(_payload: unknown, ctx: Pick<JobContext, 'db'>): Promise<void> {
  // A sweep over every tenant's connections, like the maintenance sweeps: one short indexed-by-status read.
  const rows = await ctx.db
    .selectFrom('shopConnections')
    .select(['tenantId', 'id'])
    .where('status', '=', 'active')
    .execute();
  for (const row of rows) {
    await enqueueJob(
      ctx.db,
      RECONCILE_CONNECTION_TASK,
      { tenantId: row.tenantId, connectionId: row.id },
      { jobKey: `${RECONCILE_CONNECTION_TASK}:${row.tenantId}:${row.id}`, maxAttempts: 3 },
    );
  }
}

/** One connection's reconciliation run; returns how many changed orders it read and how many it applied. */
export async function reconcileConnection(
  payload: unknown,
  ctx: Pick<JobContext, 'db' | 'now'>,
  gateway: ShopGateway = defaultShopGateway(),
): Promise<{ changed: number; applied: number }> {
  const p = payload as { tenantId?: unknown; connectionId?: unknown } | null;
  if (typeof p?.tenantId !== 'string' || typeof p.connectionId !== 'string')
    return { changed: 0, applied: 0 };
  const connection = await findConnection(ctx.db, p.tenantId, p.connectionId);
  if (!connection || connection.status !== 'active') return { changed: 0, applied: 0 };
  const started = ctx.now();
  const stored = await readCursor(ctx.db, connection.tenantId, connection.id);
  const since = stored ?? new Date(started.getTime() - FIRST_LOOKBACK_MS);
  let latest = since;
  let changed = 0;
  let applied = 0;
  try {
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await gateway.call(connection, (adapter) =>
        adapter.listChangedOrders(since.toISOString(), cursor, PAGE_SIZE),
      );
      if (page.items.length > 0) {
        const { outcomes } = await ingestBatch(
          ctx.db,
          page.items.map((summary) => ({
            tenantId: connection.tenantId,
            connectionId: connection.id,
            event: eventFromSummary(summary),
          })),
          ctx.now(),
        );
        changed += page.items.length;
        applied += outcomes.filter((o) => o === 'applied').length;
        for (const item of page.items) {
          const at = new Date(item.updatedAt);
          if (at > latest) latest = at;
        }
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < MAX_PAGES);
    await writeCursor(ctx.db, connection.tenantId, connection.id, latest, started, null);
    return { changed, applied };
  } catch (error) {
    // Keep what was read so far; the next run starts there (re-reading is harmless: ids dedupe).
    await writeCursor(ctx.db, connection.tenantId, connection.id, latest, started, String(error));
    throw error;
  }
}

async function readCursor(db: Db, tenantId: string, connectionId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('shopSyncCursors')
    .select('since')
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .executeTakeFirst();
  return row?.since ?? null;
}

async function writeCursor(
  db: Db,
  tenantId: string,
  connectionId: string,
  since: Date,
  now: Date,
  error: string | null,
): Promise<void> {
  await db
    .insertInto('shopSyncCursors')
    .values({
      tenantId,
      connectionId,
      since,
      lastRunAt: now,
      lastError: error?.slice(0, 500) ?? null,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.columns(['tenantId', 'connectionId']).doUpdateSet((eb) => ({
        // The cursor never moves back, even if two runs overlap.
        since: eb.fn('greatest', [eb.ref('shopSyncCursors.since'), eb.ref('excluded.since')]),
        lastRunAt: eb.ref('excluded.lastRunAt'),
        lastError: eb.ref('excluded.lastError'),
        updatedAt: eb.ref('excluded.updatedAt'),
      })),
    )
    .execute();
}

/** `shops.reconcile-connection` (one per connection, enqueued by the cron task). */
export async function reconcileConnectionTask(
  payload: unknown,
  ctx: Pick<JobContext, 'db' | 'now'>,
): Promise<void> {
  await reconcileConnection(payload, ctx);
}
