import type { Order } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { advanceStatus, customerMessageFor, solvesTicket, type ReturnStatus } from './returns-progress.ts';
import { lockOrderReturns, updateReturn } from './returns.repository.ts';
import { tenantReturnSettings } from './returns.service.ts';
import { lockTickets, recordReturnStep, ticketLanguage } from './returns-timeline.ts';

type Db = Kysely<Database>;

/**
 * Moves the returns of a freshly fetched order forward (order-events' re-fetch calls this after storing the
 * snapshot, whatever event caused it: `aftersale.updated`, `refund.succeeded`, reconciliation). Decides on the
 * order, never on the event, under the returns' row locks, and only ever forward (advanceStatus): duplicate,
 * concurrent or out-of-order fetches record each step once. Each step is a history entry on the ticket, a
 * public message for the steps the tenant chose, and solves the ticket at the end when the tenant wants that.
 * Returns how many returns moved.
 */
export async function advanceReturnsFromOrder(
  db: Db,
  connection: { tenantId: string; id: string },
  order: Order,
  now: Date,
): Promise<number> {
  const tenantId = connection.tenantId;
  // The common case at a peak: an order without returns in PeakDesk costs one indexed probe, no transaction.
  const any = await db
    .selectFrom('ticketReturns')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connection.id)
    .where('orderId', '=', order.externalId)
    .where('mode', '=', 'shop_return')
    .where('status', 'in', ['requested', 'approved', 'return_shipped', 'received'])
    .limit(1)
    .executeTakeFirst();
  if (!any) return 0;
  const settings = await tenantReturnSettings(db, tenantId);
  return db.transaction().execute(async (tx) => {
    let moved = 0;
    const ticketIds = await tx
      .selectFrom('ticketReturns')
      .select('ticketId')
      .where('tenantId', '=', tenantId)
      .where('connectionId', '=', connection.id)
      .where('orderId', '=', order.externalId)
      .execute();
    await lockTickets(
      tx,
      tenantId,
      ticketIds.map((r) => r.ticketId),
    );
    for (const row of await lockOrderReturns(tx, tenantId, connection.id, order.externalId)) {
      if (row.mode !== 'shop_return' || !row.externalId) continue;
      const afterSale = order.afterSales.find((a) => a.externalId === row.externalId);
      if (!afterSale) continue;
      const next = advanceStatus(row.status as ReturnStatus, afterSale.status);
      if (!next) continue;
      await updateReturn(tx, row, { status: next }, now);
      const language = await ticketLanguage(tx, tenantId, row.ticketId);
      await recordReturnStep(tx, {
        tenantId,
        ticketId: row.ticketId,
        action: 'return.progressed',
        change: {
          field: 'return',
          before: { id: row.id, status: row.status },
          after: { id: row.id, kind: row.kind, status: next },
        },
        actor: { type: 'system', id: null },
        message: customerMessageFor(next, row.kind, row.orderNumber, language, settings),
        solve: solvesTicket(next, settings),
        now,
      });
      moved++;
    }
    return moved;
  });
}
