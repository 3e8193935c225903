import type { Order, OrderRef, OrderSummary } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import type { CachedOrder, OrderCache } from './order-cache.ts';
import { findSnapshot, listCustomerSnapshots, upsertSnapshot } from './order-snapshot.repository.ts';
import type { ShopConnection } from './shop-connection.repository.ts';
import { describeShopFailure, type ShopFailure, type ShopGateway } from './shop-gateway.ts';

type Db = Kysely<Database>;

/** Seconds a fetched order is served from the cache when the connection's settings name no TTL. */
export const DEFAULT_CACHE_TTL_SECONDS = 30;

export type OrderLookupResult =
  | { status: 'fresh'; order: Order; fetchedAt: Date; source: 'shop' | 'cache' }
  /** The shop could not answer; this is the last snapshot PeakDesk stored. */
  | { status: 'stale'; order: Order; fetchedAt: Date; failure: ShopFailure }
  | { status: 'not_found' }
  /** The shop could not answer and PeakDesk holds no snapshot of the order. */
  | { status: 'unavailable'; failure: ShopFailure };

function refKey(ref: OrderRef): string {
  return 'orderId' in ref ? `id:${ref.orderId}` : `no:${ref.orderNumber}`;
}

/**
 * Order lookups for the panel and the enrichment job: cache first (per-connection TTL), then ONE shop call
 * per order however many callers ask at once (coalescing: later callers join the call in flight), through the
 * gateway's timeout, retry and breaker. Every fetched order is stored as a snapshot (never backwards); when
 * the shop cannot answer, the snapshot is served, marked stale.
 */
export class OrderLookup {
  private readonly inflight = new Map<string, { promise: Promise<CachedOrder>; callers: number }>();

  constructor(private readonly deps: { db: Db; gateway: ShopGateway; cache: OrderCache; now: () => Date }) {}

  async getOrder(connection: ShopConnection, ref: OrderRef): Promise<OrderLookupResult> {
    const key = this.cacheKey(connection, ref);
    if (this.ttlMs(connection) > 0) {
      const cached = await this.deps.cache.get(key);
      if (cached) return this.toResult(cached, 'cache');
    }
    try {
      return this.toResult(await this.fetch(connection, ref), 'shop');
    } catch (error) {
      return this.fromSnapshot(connection, ref, describeShopFailure(error));
    }
  }

  /** The stored snapshot without asking the shop (a disabled connection), marked stale. */
  snapshotOnly(connection: ShopConnection, ref: OrderRef): Promise<OrderLookupResult> {
    return this.fromSnapshot(connection, ref, {
      code: 'UNAVAILABLE',
      message: 'the shop connection is disabled',
    });
  }

  private async fromSnapshot(
    connection: ShopConnection,
    ref: OrderRef,
    failure: ShopFailure,
  ): Promise<OrderLookupResult> {
    const snapshot = await findSnapshot(this.deps.db, connection.tenantId, connection.id, ref);
    return snapshot
      ? { status: 'stale', order: snapshot.order, fetchedAt: snapshot.fetchedAt, failure }
      : { status: 'unavailable', failure };
  }

  /**
   * Asks the shop (joining a call in flight for the same order), stores the snapshot and fills the cache.
   * Throws when the shop cannot answer: background jobs retry on that.
   */
  fetch(connection: ShopConnection, ref: OrderRef): Promise<CachedOrder> {
    const key = this.cacheKey(connection, ref);
    const running = this.inflight.get(key);
    if (running) {
      running.callers += 1;
      return running.promise;
    }
    const promise = this.fetchFromShop(connection, ref, key).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { promise, callers: 1 });
    return promise;
  }

  /**
   * A customer's orders (newest first, at most `limit`): from the cache or the shop's search, else from the
   * snapshots PeakDesk holds (marked stale).
   */
  async customerOrders(
    connection: ShopConnection,
    customerExternalId: string,
    limit = 20,
  ): Promise<{ items: OrderSummary[]; stale: boolean; failure?: ShopFailure }> {
    const key = `${connection.tenantId}/${connection.id}/customer:${customerExternalId}`;
    const ttl = this.ttlMs(connection);
    const cached = ttl > 0 ? await this.deps.cache.get<OrderSummary[]>(key) : undefined;
    if (cached) return { items: cached, stale: false };
    try {
      const page = await this.deps.gateway.call(connection, (adapter) =>
        adapter.searchOrders({ customerId: customerExternalId, limit: 100 }),
      );
      const items = [...page.items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, limit);
      await this.deps.cache.set(key, items, ttl);
      return { items, stale: false };
    } catch (error) {
      const snapshots = await listCustomerSnapshots(
        this.deps.db,
        connection.tenantId,
        connection.id,
        customerExternalId,
        limit,
      );
      return {
        items: snapshots.map(({ order, version }) => ({
          externalId: order.externalId,
          orderNumber: order.orderNumber,
          status: order.status,
          rawStatus: order.rawStatus,
          total: order.totals.total,
          customerId: customerExternalId,
          createdAt: order.createdAt,
          updatedAt: order.updatedAt,
          version,
        })),
        stale: true,
        failure: describeShopFailure(error),
      };
    }
  }

  /** How many callers wait on a shop call for this order right now (0 when none is in flight). */
  waitingCallers(connection: Pick<ShopConnection, 'tenantId' | 'id'>, ref: OrderRef): number {
    return this.inflight.get(this.cacheKey(connection, ref))?.callers ?? 0;
  }

  /** Drops cached copies (an order event said it changed); the next lookup asks the shop. */
  async invalidate(
    connection: Pick<ShopConnection, 'tenantId' | 'id'>,
    refs: { orderId?: string; orderNumber?: string },
  ): Promise<void> {
    if (refs.orderId) await this.deps.cache.delete(this.cacheKey(connection, { orderId: refs.orderId }));
    if (refs.orderNumber) {
      await this.deps.cache.delete(this.cacheKey(connection, { orderNumber: refs.orderNumber }));
    }
  }

  private async fetchFromShop(connection: ShopConnection, ref: OrderRef, key: string): Promise<CachedOrder> {
    const order = await this.deps.gateway.call(connection, (adapter) => adapter.getOrder(ref));
    const fetchedAt = this.deps.now();
    if (order) await upsertSnapshot(this.deps.db, connection.tenantId, connection.id, order, fetchedAt);
    const value: CachedOrder = { order, fetchedAt: fetchedAt.toISOString() };
    await this.deps.cache.set(key, value, this.ttlMs(connection));
    return value;
  }

  private toResult(value: CachedOrder, source: 'shop' | 'cache'): OrderLookupResult {
    if (!value.order) return { status: 'not_found' };
    return { status: 'fresh', order: value.order, fetchedAt: new Date(value.fetchedAt), source };
  }

  private cacheKey(connection: Pick<ShopConnection, 'tenantId' | 'id'>, ref: OrderRef): string {
    return `${connection.tenantId}/${connection.id}/${refKey(ref)}`;
  }

  private ttlMs(connection: ShopConnection): number {
    return (connection.settings.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
  }
}
