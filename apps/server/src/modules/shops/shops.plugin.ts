import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/database.ts';
import { MemoryOrderCache, TieredOrderCache, type OrderCache } from './order-cache.ts';
import { OrderLookup } from './order-lookup.ts';
import { shopSecretBox } from './shop-secret-box.ts';
import { defaultShopGateway, type ShopGateway } from './shop-gateway.ts';
import type { ShopRoutesOptions } from './shop.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The shop side of the app, for other modules (order webhooks): `lookup.invalidate()` when an event says
     * an order changed, `lookup.fetch()` to re-fetch it, `gateway.call()` for any other shop call.
     */
    shops: { lookup: OrderLookup; gateway: ShopGateway };
  }
}

export interface ShopsDeps {
  db: Db;
  redis?: Redis | undefined;
  now: () => Date;
  /** Defaults to the process's gateway (shared with background jobs: one breaker per connection). */
  gateway?: ShopGateway | undefined;
  cache?: OrderCache | undefined;
}

/** Builds the order lookup (cache in process, and in Redis when configured) and decorates the app with it. */
export function setUpShops(app: FastifyInstance, deps: ShopsDeps): ShopRoutesOptions {
  const gateway = deps.gateway ?? defaultShopGateway();
  const cache =
    deps.cache ??
    (deps.redis ? new TieredOrderCache(new MemoryOrderCache(), deps.redis) : new MemoryOrderCache());
  const lookup = new OrderLookup({ db: deps.db, gateway, cache, now: deps.now });
  app.decorate('shops', { lookup, gateway });
  return { db: deps.db, lookup, gateway, secretBox: shopSecretBox, now: deps.now };
}
