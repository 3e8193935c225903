import type { Order, OrderSummary } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { inScope } from '../tickets/ticket-scope.sql.ts';
import type { OrderLookup } from './order-lookup.ts';
import {
  findConnection,
  findDefaultConnectionId,
  type ShopConnection,
} from './shop-connection.repository.ts';
import type { ShopFailure } from './shop-gateway.ts';

type Db = Kysely<Database>;

/**
 * What the panel shows, as a state rather than an HTTP error: the ticket exists (else 404), and its order is
 * `ok` (from the shop or the cache), `stale` (the shop could not answer: the last snapshot), `not_linked` (the
 * ticket names no order), `no_shop` (no shop connected), `not_found` (the shop has no such order) or
 * `unavailable` (the shop could not answer and no snapshot is stored).
 */
export type OrderPanelState = 'ok' | 'stale' | 'not_linked' | 'no_shop' | 'not_found' | 'unavailable';

export interface OrderPanel {
  ticketId: string;
  orderNumber: string | null;
  state: OrderPanelState;
  connection: Pick<ShopConnection, 'id' | 'name' | 'kind'> | null;
  order: Order | null;
  /** `shop`: asked just now; `cache`: asked within the connection's TTL; `snapshot`: the shop could not answer. */
  source: 'shop' | 'cache' | 'snapshot' | null;
  stale: boolean;
  fetchedAt: Date | null;
  /** Why the shop could not answer (`stale`, `unavailable`). */
  failure?: ShopFailure;
}

export interface CustomerContext {
  customer: { id: string; name: string };
  tickets: {
    id: string;
    number: number;
    subject: string;
    status: string;
    orderNumber: string | null;
    createdAt: Date;
  }[];
  orders: { items: OrderSummary[]; stale: boolean; failure?: ShopFailure } | null;
}

interface LinkedTicket {
  id: string;
  orderNumber: string | null;
  shopConnectionId: string | null;
  requesterId: string;
}

/**
 * The order behind a ticket, as agents see it beside the conversation. The ticket is read in the actor's
 * scope (another tenant's or team's ticket is 404); its order comes through OrderLookup (cache, one call per
 * order, breaker) from the ticket's shop connection — or the tenant's default one for tickets that name an
 * order but were created before a shop was connected.
 */
export class OrderPanelService {
  constructor(
    private readonly db: Db,
    private readonly lookup: OrderLookup,
  ) {}

  async panel(actor: Actor, ticketId: string): Promise<OrderPanel> {
    const ticket = await this.findTicket(actor, ticketId);
    const empty = {
      ticketId: ticket.id,
      orderNumber: ticket.orderNumber,
      connection: null,
      order: null,
      source: null,
      stale: false,
      fetchedAt: null,
    };
    if (!ticket.orderNumber) return { ...empty, state: 'not_linked' };
    const connection = await this.connectionOf(actor.tenantId, ticket);
    if (!connection) return { ...empty, state: 'no_shop' };
    const base = {
      ...empty,
      connection: { id: connection.id, name: connection.name, kind: connection.kind },
    };
    const ref = { orderNumber: ticket.orderNumber };
    const result =
      connection.status === 'active'
        ? await this.lookup.getOrder(connection, ref)
        : await this.lookup.snapshotOnly(connection, ref);
    switch (result.status) {
      case 'fresh':
        return {
          ...base,
          state: 'ok',
          order: result.order,
          source: result.source,
          fetchedAt: result.fetchedAt,
        };
      case 'stale':
        return {
          ...base,
          state: 'stale',
          order: result.order,
          source: 'snapshot',
          stale: true,
          fetchedAt: result.fetchedAt,
          failure: result.failure,
        };
      case 'not_found':
        return { ...base, state: 'not_found' };
      case 'unavailable':
        return { ...base, state: 'unavailable', failure: result.failure };
    }
  }

  /** The requester's other tickets and, when the ticket's order names its buyer, the buyer's other orders. */
  async customerContext(actor: Actor, ticketId: string): Promise<CustomerContext> {
    const ticket = await this.findTicket(actor, ticketId);
    const customer = await this.db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('tenantId', '=', actor.tenantId)
      .where('id', '=', ticket.requesterId)
      .executeTakeFirstOrThrow();
    const tickets = await this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'subject', 'status', 'orderNumber', 'createdAt'])
      .where('tenantId', '=', actor.tenantId)
      .where('requesterId', '=', ticket.requesterId)
      .where('id', '!=', ticket.id)
      .where(inScope(ticketScope(actor)))
      .orderBy('createdAt', 'desc')
      .limit(20)
      .execute();
    let orders: CustomerContext['orders'] = null;
    if (ticket.orderNumber) {
      const connection = await this.connectionOf(actor.tenantId, ticket);
      if (connection?.status === 'active') {
        const found = await this.lookup.getOrder(connection, { orderNumber: ticket.orderNumber });
        const buyer =
          found.status === 'fresh' || found.status === 'stale' ? found.order.customer.externalId : null;
        if (buyer) orders = await this.lookup.customerOrders(connection, buyer);
      }
    }
    return {
      customer,
      tickets: tickets.map((t) => ({ ...t, number: Number(t.number) })),
      orders,
    };
  }

  private async findTicket(actor: Actor, ticketId: string): Promise<LinkedTicket> {
    const ticket = await this.db
      .selectFrom('tickets')
      .select(['id', 'orderNumber', 'shopConnectionId', 'requesterId'])
      .where('tenantId', '=', actor.tenantId)
      .where('id', '=', ticketId)
      .where(inScope(ticketScope(actor)))
      .executeTakeFirst();
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    return ticket;
  }

  private async connectionOf(tenantId: string, ticket: LinkedTicket): Promise<ShopConnection | undefined> {
    const linked = ticket.shopConnectionId
      ? await findConnection(this.db, tenantId, ticket.shopConnectionId)
      : undefined;
    if (linked) return linked;
    const fallbackId = await findDefaultConnectionId(this.db, tenantId);
    return fallbackId ? findConnection(this.db, tenantId, fallbackId) : undefined;
  }
}
