import { ShopError, type Capabilities, type Order, type ShopAdapter } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { OrderLookup } from '../shops/order-lookup.ts';
import {
  findConnection,
  findDefaultConnectionId,
  type ShopConnection,
} from '../shops/shop-connection.repository.ts';
import { describeShopFailure } from '../shops/shop-gateway.ts';
import { inScope } from '../tickets/ticket-scope.sql.ts';
import {
  checkReturnLines,
  customerMessageFor,
  returnIdempotencyKey,
  returnSettingsFrom,
  solvesTicket,
  unitsInReturns,
  type ReturnKind,
  type ReturnLine,
  type ReturnSettings,
  type ReturnStatus,
} from './returns-progress.ts';
import {
  deletePendingReturn,
  findReturnByKey,
  insertOrFindReturn,
  listTicketReturns,
  lockReturn,
  updateReturn,
  type ReturnRow,
} from './returns.repository.ts';
import { lockTickets, recordReturnStep, ticketLanguage } from './returns-timeline.ts';

type Db = Kysely<Database>;

/** The one thing returns need from the shop gateway (timeout, retry, breaker per connection). */
export interface ReturnGateway {
  call<T>(
    connection: ShopConnection,
    fn: (adapter: ShopAdapter, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
}

/** After-sales actions the ticket's shop can carry (the console offers only these). */
export interface AllowedActions {
  return: boolean;
  exchange: boolean;
  coupon: boolean;
  points: boolean;
  storeCredit: boolean;
}

export interface OpenReturnInput {
  kind: ReturnKind;
  lines: ReturnLine[];
  reason: string;
  note?: string | undefined;
}

export async function tenantReturnSettings(db: Db, tenantId: string): Promise<ReturnSettings> {
  const tenant = await db
    .selectFrom('tenants')
    .select('settings')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return returnSettingsFrom(tenant?.settings ?? {});
}

/**
 * Returns and exchanges opened from a ticket. Everything goes to the shop through its adapter, chosen by the
 * shop's capabilities (never its platform): a shop with a return object (`sellerInitiatedReturn`) gets
 * `createReturn`; a shop without one (e.g. Vendure) but with seller refunds gets the return modelled in
 * PeakDesk as line cancellation plus a refund of those lines (`issueRefund`, one per line), done at once.
 */
export class ReturnService {
  constructor(
    private readonly db: Db,
    private readonly lookup: OrderLookup,
    private readonly gateway: ReturnGateway,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Idempotent by ticket + kind + lines: the row is inserted before the shop is called, a repeat finds it
   * (`created: false`), and a repeat of a request whose shop call failed transiently calls again with the same
   * key, so the shop opens one after-sale however often the agent clicks.
   */
  async open(
    actor: Actor,
    ticketId: string,
    input: OpenReturnInput,
  ): Promise<{ row: ReturnRow; created: boolean }> {
    const ticket = await this.findTicket(actor, ticketId);
    if (!ticket.orderNumber) throw new AppError('ORDER_NOT_LINKED', 'The ticket names no order');
    const connection = await this.connectionOf(actor.tenantId, ticket.shopConnectionId);
    if (!connection) throw new AppError('ORDER_NOT_LINKED', 'No shop is connected for this ticket');
    if (connection.status !== 'active') throw new AppError('UNAVAILABLE', 'The shop connection is disabled');

    const key = returnIdempotencyKey(ticket.id, input.kind, input.lines);
    const existing = await findReturnByKey(this.db, actor.tenantId, key);
    if (existing && existing.status !== 'pending') return { row: existing, created: false };

    const order = await this.freshOrder(connection, ticket.orderNumber);
    let row = existing;
    let created = false;
    if (!row) {
      const capabilities = await this.shop(connection, (a) => a.capabilities());
      const mode = returnMode(capabilities, input.kind);
      // Under the ticket's row lock, so two different returns of one line cannot both take its last unit; a
      // racing copy of this very request (same key) is not counted against itself.
      ({ row, created } = await this.db.transaction().execute(async (tx) => {
        await lockTickets(tx, actor.tenantId, [ticket.id]);
        const others = (await listTicketReturns(tx, actor.tenantId, ticket.id)).filter(
          (r) => r.orderId === order.externalId && r.idempotencyKey !== key,
        );
        const problems = checkReturnLines(order, input.lines, unitsInReturns(others));
        if (problems.length) {
          throw new AppError('RETURN_LINES_INVALID', 'Some lines cannot be returned in these quantities', {
            extra: { problems },
          });
        }
        return insertOrFindReturn(
          tx,
          {
            tenantId: actor.tenantId,
            ticketId: ticket.id,
            connectionId: connection.id,
            orderId: order.externalId,
            orderNumber: order.orderNumber,
            kind: input.kind,
            mode,
            idempotencyKey: key,
            lines: input.lines,
            reason: input.reason,
            note: input.note ?? null,
            actorType: actor.kind,
            actorId: actor.id,
          },
          this.now(),
        );
      }));
      if (row.status !== 'pending') return { row, created: false };
    }
    return { row: await this.send(actor, connection, order, row), created };
  }

  /**
   * The ticket's returns, and what the console may offer: a return, an exchange or a compensation kind only
   * where the ticket names an order and its shop's capabilities carry it (false while the shop cannot say).
   */
  async list(actor: Actor, ticketId: string): Promise<{ items: ReturnRow[]; allowed: AllowedActions }> {
    const ticket = await this.findTicket(actor, ticketId);
    const items = await listTicketReturns(this.db, actor.tenantId, ticket.id);
    const allowed: AllowedActions = {
      return: false,
      exchange: false,
      coupon: false,
      points: false,
      storeCredit: false,
    };
    const connection = ticket.orderNumber
      ? await this.connectionOf(actor.tenantId, ticket.shopConnectionId)
      : undefined;
    if (connection?.status === 'active') {
      const capabilities = await this.shop(connection, (a) => a.capabilities()).catch(() => null);
      if (capabilities) {
        allowed.return = capabilities.sellerInitiatedReturn || capabilities.sellerInitiatedRefund;
        allowed.exchange = capabilities.exchange && capabilities.sellerInitiatedReturn;
        allowed.coupon = capabilities.coupons;
        allowed.points = capabilities.points;
        allowed.storeCredit = capabilities.storeCredit;
      }
    }
    return { items, allowed };
  }

  /** Asks the shop with the row's own key and values (a retry sends exactly what the first attempt sent). */
  private async send(
    actor: Actor,
    connection: ShopConnection,
    order: Order,
    row: ReturnRow,
  ): Promise<ReturnRow> {
    let result: { externalId: string; status: ReturnStatus };
    try {
      result =
        row.mode === 'shop_return'
          ? await this.createShopReturn(connection, row)
          : await this.refundLines(connection, order, row);
    } catch (error) {
      if (error instanceof ShopError && !error.isRetryable) {
        await deletePendingReturn(this.db, row);
        throw new AppError('RETURN_REFUSED', `The shop refused: ${error.message}`);
      }
      const failure = describeShopFailure(error);
      await updateReturn(this.db, row, { error: `${failure.code}: ${failure.message}` }, this.now());
      throw new AppError('UNAVAILABLE', `The shop could not answer (${failure.code}); try again`, {
        cause: error,
      });
    }
    const settings = await tenantReturnSettings(this.db, actor.tenantId);
    const language = await ticketLanguage(this.db, actor.tenantId, row.ticketId);
    return this.db.transaction().execute(async (tx) => {
      await lockTickets(tx, row.tenantId, [row.ticketId]);
      const current = await lockReturn(tx, row.tenantId, row.id);
      // A racing request recorded the opening already: one history entry, one audit entry.
      if (!current || current.status !== 'pending') return current ?? row;
      const now = this.now();
      const updated = await updateReturn(tx, current, { ...result, error: null }, now);
      await recordReturnStep(tx, {
        tenantId: row.tenantId,
        ticketId: row.ticketId,
        action: 'return.opened',
        change: {
          field: 'return',
          before: null,
          after: { id: row.id, kind: row.kind, mode: row.mode, status: result.status, lines: row.lines },
        },
        actor: { type: actor.kind, id: actor.id },
        message: customerMessageFor(result.status, row.kind, row.orderNumber, language, settings),
        solve: solvesTicket(result.status, settings),
        now,
      });
      await recordAudit(tx, {
        tenantId: row.tenantId,
        actor,
        action: 'return.opened',
        targetType: 'ticket',
        targetId: row.ticketId,
        details: {
          returnId: row.id,
          kind: row.kind,
          mode: row.mode,
          externalId: result.externalId,
          lines: row.lines,
        },
      });
      return updated;
    });
  }

  private async createShopReturn(connection: ShopConnection, row: ReturnRow) {
    const afterSale = await this.shop(connection, (a) =>
      a.createReturn({
        orderId: row.orderId,
        kind: row.kind,
        lines: row.lines.map((l) => ({ orderLineId: l.lineId, quantity: l.quantity })),
        reason: row.reason,
        idempotencyKey: row.idempotencyKey,
      }),
    );
    // The shop may answer an older state than PeakDesk would record (it opened the request as "requested").
    return { externalId: afterSale.externalId, status: afterSale.status as ReturnStatus };
  }

  /** No return object in this shop: the lines are cancelled in PeakDesk and refunded, one keyed refund per line. */
  private async refundLines(connection: ShopConnection, order: Order, row: ReturnRow) {
    const ids: string[] = [];
    for (const wanted of row.lines) {
      const line = order.lines.find((l) => l.externalId === wanted.lineId);
      if (!line) throw new ShopError('REJECTED', `line ${wanted.lineId} is no longer on the order`);
      const refund = await this.shop(connection, (a) =>
        a.issueRefund({
          orderId: row.orderId,
          amount: {
            amountMinor: Math.min(line.total.amountMinor, line.paidUnitPrice.amountMinor * wanted.quantity),
            currency: line.paidUnitPrice.currency,
          },
          reason: row.reason,
          orderLineId: line.externalId,
          idempotencyKey: `${row.idempotencyKey}:${line.externalId}`,
        }),
      );
      ids.push(refund.externalId);
    }
    return { externalId: ids.join(','), status: 'refunded' as const };
  }

  private async freshOrder(connection: ShopConnection, orderNumber: string): Promise<Order> {
    const found = await this.lookup.getOrder(connection, { orderNumber });
    switch (found.status) {
      case 'fresh':
        return found.order;
      case 'not_found':
        throw new AppError('ORDER_NOT_LINKED', `The shop has no order ${orderNumber}`);
      case 'stale':
      case 'unavailable':
        throw new AppError('UNAVAILABLE', `The shop could not answer (${found.failure.code}); try again`);
    }
  }

  private async shop<T>(connection: ShopConnection, fn: (adapter: ShopAdapter) => Promise<T>): Promise<T> {
    return this.gateway.call(connection, (adapter) => fn(adapter));
  }

  private async findTicket(actor: Actor, ticketId: string) {
    const ticket = await this.db
      .selectFrom('tickets')
      .select(['id', 'orderNumber', 'shopConnectionId'])
      .where('tenantId', '=', actor.tenantId)
      .where('id', '=', ticketId)
      .where(inScope(ticketScope(actor)))
      .executeTakeFirst();
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    return ticket;
  }

  private async connectionOf(tenantId: string, linkedId: string | null): Promise<ShopConnection | undefined> {
    const linked = linkedId ? await findConnection(this.db, tenantId, linkedId) : undefined;
    if (linked) return linked;
    const fallbackId = await findDefaultConnectionId(this.db, tenantId);
    return fallbackId ? findConnection(this.db, tenantId, fallbackId) : undefined;
  }
}

/** How the shop carries a return of this kind, from its capabilities; RETURN_UNSUPPORTED when it cannot. */
export function returnMode(capabilities: Capabilities, kind: ReturnKind): 'shop_return' | 'cancel_refund' {
  if (kind === 'exchange') {
    if (capabilities.exchange && capabilities.sellerInitiatedReturn) return 'shop_return';
    throw new AppError('RETURN_UNSUPPORTED', 'This shop cannot exchange items');
  }
  if (capabilities.sellerInitiatedReturn) return 'shop_return';
  if (capabilities.sellerInitiatedRefund) return 'cancel_refund';
  throw new AppError('RETURN_UNSUPPORTED', 'This shop can neither open returns nor refund');
}
