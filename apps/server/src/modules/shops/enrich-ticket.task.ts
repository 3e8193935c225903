import type { Order } from '@peakdesk/commerce';
import { sql, type Kysely } from 'kysely';
import type { Database, FieldChange } from '../../db/tables.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/task.ts';
import { enqueuePriceProtection } from '../aftersales/price-protection.task.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { MemoryOrderCache } from './order-cache.ts';
import { ORDER_PLACEHOLDER_PLATFORM } from './order-intake.ts';
import { OrderLookup } from './order-lookup.ts';
import {
  findConnection,
  findDefaultConnectionId,
  type ShopConnection,
} from './shop-connection.repository.ts';
import { defaultShopGateway, type ShopGateway } from './shop-gateway.ts';

type Db = Kysely<Database>;

/**
 * `shops.enrich-ticket`: a ticket that quotes an order number is linked to the shop's order after intake
 * committed it — intake never waits for the shop. The job fetches the order (through the process's gateway:
 * timeout, breaker), stores the snapshot, links the ticket to the connection, attaches the buyer's platform
 * identity to the requester (or notes the customer it belongs to) and records one `order.linked` history
 * entry. It throws while the shop cannot answer, so graphile-worker retries it with backoff; run twice, it
 * changes nothing the second time.
 */
export const ENRICH_TICKET_TASK = 'shops.enrich-ticket';

export interface EnrichTicketPayload {
  tenantId: string;
  ticketId: string;
}

/**
 * Called by intake's follow-up sweep inside its transaction with the created tickets that quote an order:
 * enqueues one job per ticket of a tenant that has an active shop (one query for all of them), so tenants
 * without a shop cost nothing more. Returns the ids of the tickets handed over.
 */
export async function enqueueOrderEnrichment(
  tx: Db,
  tickets: readonly EnrichTicketPayload[],
): Promise<Set<string>> {
  const handed = new Set<string>();
  if (tickets.length === 0) return handed;
  const tenants = [...new Set(tickets.map((t) => t.tenantId))];
  const withShop = await tx
    .selectFrom('shopConnections')
    .select('tenantId')
    .distinct()
    .where('tenantId', 'in', tenants)
    .where('status', '=', 'active')
    .execute();
  const enabled = new Set(withShop.map((row) => row.tenantId));
  for (const ticket of tickets) {
    if (!enabled.has(ticket.tenantId)) continue;
    await enqueueJob(
      tx,
      ENRICH_TICKET_TASK,
      { tenantId: ticket.tenantId, ticketId: ticket.ticketId },
      {
        jobKey: `${ENRICH_TICKET_TASK}:${ticket.tenantId}:${ticket.ticketId}`,
        maxAttempts: 10,
      },
    );
    handed.add(ticket.ticketId);
  }
  return handed;
}

function isPayload(payload: unknown): payload is EnrichTicketPayload {
  const p = payload as Partial<EnrichTicketPayload> | null;
  return typeof p?.tenantId === 'string' && typeof p.ticketId === 'string';
}

export type EnrichOutcome =
  'linked' | 'already-linked' | 'order-not-found' | 'no-order' | 'no-shop' | 'no-ticket';

/** The task handler; `gateway` is for tests (the process's shared gateway otherwise). */
export async function enrichTicket(
  payload: unknown,
  ctx: Pick<JobContext, 'db' | 'now'>,
  gateway: ShopGateway = defaultShopGateway(),
): Promise<EnrichOutcome> {
  if (!isPayload(payload)) return 'no-ticket';
  const { db } = ctx;
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'orderNumber', 'shopConnectionId', 'requesterId'])
    .where('tenantId', '=', payload.tenantId)
    .where('id', '=', payload.ticketId)
    .executeTakeFirst();
  if (!ticket) return 'no-ticket';
  if (!ticket.orderNumber) return 'no-order';
  const connection = await connectionFor(db, payload.tenantId, ticket.shopConnectionId);
  if (!connection) return 'no-shop';

  // Throws while the shop is slow, down or its breaker is open: the queue retries later.
  const lookup = new OrderLookup({ db, gateway, cache: new MemoryOrderCache(1), now: ctx.now });
  const { order } = await lookup.fetch(connection, { orderNumber: ticket.orderNumber });

  return db.transaction().execute(async (tx) => {
    const locked = await tx
      .selectFrom('tickets')
      .select(['shopConnectionId', 'requesterId', 'category'])
      .where('tenantId', '=', payload.tenantId)
      .where('id', '=', ticket.id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return 'no-ticket';
    const done = await tx
      .selectFrom('ticketEvents')
      .select('id')
      .where('tenantId', '=', payload.tenantId)
      .where('ticketId', '=', ticket.id)
      .where('action', 'in', ['order.linked', 'order.not_found'])
      .executeTakeFirst();
    if (done) return 'already-linked';
    const now = ctx.now();
    if (locked.shopConnectionId !== connection.id) {
      await tx
        .updateTable('tickets')
        .set({ shopConnectionId: connection.id })
        .where('tenantId', '=', payload.tenantId)
        .where('id', '=', ticket.id)
        .execute();
    }
    if (!order) {
      await insertSystemEvent(
        tx,
        payload.tenantId,
        ticket.id,
        'order.not_found',
        [{ field: 'orderNumber', before: null, after: ticket.orderNumber }],
        now,
      );
      return 'order-not-found';
    }
    const changes: FieldChange[] = [
      {
        field: 'order',
        before: null,
        after: {
          connectionId: connection.id,
          orderId: order.externalId,
          orderNumber: order.orderNumber,
          status: order.status,
        },
      },
      ...(await linkBuyer(tx, connection, order, ticket.id, locked.requesterId, now)),
    ];
    await insertSystemEvent(tx, payload.tenantId, ticket.id, 'order.linked', changes, now);
    // A price-protection request gets its calculation once its order is known (after this commit).
    await enqueuePriceProtection(tx, {
      tenantId: payload.tenantId,
      id: ticket.id,
      category: locked.category,
      orderNumber: ticket.orderNumber,
    });
    return 'linked';
  });
}

/** The graphile-worker task (tasks.ts). */
export async function enrichTicketTask(payload: unknown, ctx: JobContext): Promise<void> {
  const outcome = await enrichTicket(payload, ctx);
  ctx.log.debug({ outcome }, 'order enrichment');
}

async function connectionFor(
  db: Db,
  tenantId: string,
  linkedId: string | null,
): Promise<ShopConnection | undefined> {
  const linked = linkedId ? await findConnection(db, tenantId, linkedId) : undefined;
  if (linked) return linked.status === 'active' ? linked : undefined;
  const fallback = await findDefaultConnectionId(db, tenantId);
  return fallback ? findConnection(db, tenantId, fallback) : undefined;
}

/**
 * The order's buyer as a PeakDesk customer: the platform identity `<kind>:<buyer id>` is attached to the
 * ticket's requester when nobody has it yet (the next ticket from that buyer finds the same customer). When
 * another customer has it: a requester known only by the order (a ticket with just an order number) is
 * replaced by that customer; a real requester stays, and the history names the buyer's customer instead of
 * merging anyone behind agents' backs.
 */
async function linkBuyer(
  tx: Db,
  connection: ShopConnection,
  order: Order,
  ticketId: string,
  requesterId: string,
  now: Date,
): Promise<FieldChange[]> {
  const buyerId = order.customer.externalId;
  if (!buyerId) return [];
  const { tenantId } = connection;
  const identity = `${connection.kind}:${buyerId}`;
  await sql`
    INSERT INTO customer_identities (tenant_id, kind, value, customer_id, created_at)
    VALUES (${tenantId}, 'platform', ${identity}, ${requesterId}, ${now})
    ON CONFLICT DO NOTHING`.execute(tx);
  const owner = await tx
    .selectFrom('customerIdentities')
    .select('customerId')
    .where('tenantId', '=', tenantId)
    .where('kind', '=', 'platform')
    .where('value', '=', identity)
    .executeTakeFirstOrThrow();
  if (owner.customerId !== requesterId) {
    if (!(await isOrderPlaceholder(tx, tenantId, requesterId))) {
      return [{ field: 'orderCustomerId', before: null, after: owner.customerId }];
    }
    await tx
      .updateTable('tickets')
      .set({ requesterId: owner.customerId })
      .where('tenantId', '=', tenantId)
      .where('id', '=', ticketId)
      .execute();
    return [{ field: 'requesterId', before: requesterId, after: owner.customerId }];
  }
  // A requester known only by an address or an order number gets the buyer's name from the shop.
  await tx
    .updateTable('customers')
    .set({ name: order.customer.displayName, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', requesterId)
    .where('name', '=', '')
    .execute();
  return [{ field: 'customerIdentity', before: null, after: identity }];
}

/** A customer whose only identities are `order:<number>` ones (see order-intake.ts). */
async function isOrderPlaceholder(tx: Db, tenantId: string, customerId: string): Promise<boolean> {
  const identities = await tx
    .selectFrom('customerIdentities')
    .select(['kind', 'value'])
    .where('tenantId', '=', tenantId)
    .where('customerId', '=', customerId)
    .execute();
  return (
    identities.length > 0 &&
    identities.every((i) => i.kind === 'platform' && i.value.startsWith(`${ORDER_PLACEHOLDER_PLATFORM}:`))
  );
}
