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

export interface OrderPanel {
  ticketId: string;
  connection: Pick<ShopConnection, 'id' | 'name' | 'kind'>;
  order: Order;
  /** `shop`: asked just now; `cache`: asked within the connection's TTL; `snapshot`: the shop could not answer. */
  source: 'shop' | 'cache' | 'snapshot';
  stale: boolean;
  fetchedAt: Date;
  /** Why the shop could not answer, when `stale`. */
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
    if (!ticket.orderNumber) throw new AppError('ORDER_NOT_LINKED', 'This ticket names no order');
    const connection = await this.connectionOf(actor.tenantId, ticket);
    const base = {
      ticketId: ticket.id,
      connection: { id: connection.id, name: connection.name, kind: connection.kind },
    };
    const result =
      connection.status === 'active'
        ? await this.lookup.getOrder(connection, { orderNumber: ticket.orderNumber })
        : await this.lookup.snapshotOnly(connection, { orderNumber: ticket.orderNumber });
    switch (result.status) {
      case 'fresh':
        return {
          ...base,
          order: result.order,
          source: result.source,
          stale: false,
          fetchedAt: result.fetchedAt,
        };
      case 'stale':
        return {
          ...base,
          order: result.order,
          source: 'snapshot',
          stale: true,
          fetchedAt: result.fetchedAt,
          failure: result.failure,
        };
      case 'not_found':
        throw new AppError('ORDER_NOT_FOUND', `The shop has no order ${ticket.orderNumber}`);
      case 'unavailable':
        throw new AppError('SHOP_UNAVAILABLE', `The shop cannot be reached (${result.failure.message})`, {
          retryAfter: 15,
          extra: { failure: result.failure },
        });
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
      const connection = await this.connectionOf(actor.tenantId, ticket).catch(() => null);
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

  private async connectionOf(tenantId: string, ticket: LinkedTicket): Promise<ShopConnection> {
    const linked = ticket.shopConnectionId
      ? await findConnection(this.db, tenantId, ticket.shopConnectionId)
      : undefined;
    if (linked) return linked;
    const fallbackId = await findDefaultConnectionId(this.db, tenantId);
    const fallback = fallbackId ? await findConnection(this.db, tenantId, fallbackId) : undefined;
    if (!fallback) throw new AppError('SHOP_NOT_CONNECTED', 'No shop is connected for this ticket');
    return fallback;
  }
}
