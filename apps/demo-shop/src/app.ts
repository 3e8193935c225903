import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { ShopConfig } from './config.ts';
import { Chaos } from './http/chaos.ts';
import { registerApiKey, registerErrors, validatorCompiler } from './http/plumbing.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { SurgeRunner } from './modules/admin/surge.ts';
import { afterSaleRoutes } from './modules/aftersales/aftersale.routes.ts';
import { memberRoutes } from './modules/compensation/member.routes.ts';
import { orderRoutes } from './modules/orders/order.routes.ts';
import type { ShopSettings } from './settings.ts';

export interface ShopAppDeps {
  pool: pg.Pool;
  config: Pick<ShopConfig, 'apiKey' | 'piiMasked' | 'seed' | 'chaosHangMs'>;
  now?: () => Date;
  logger?: boolean | object;
}

export interface ShopApp {
  app: FastifyInstance;
  chaos: Chaos;
  settings: ShopSettings;
  surge: SurgeRunner;
}

/** The capabilities this shop declares; PeakDesk branches on these, never on the platform name. */
export function capabilities(settings: ShopSettings) {
  return {
    platform: 'demo-shop',
    sellerInitiatedRefund: true,
    partialAmountRefund: true,
    sellerInitiatedReturn: true,
    exchange: true,
    afterSaleResponses: true,
    coupons: true,
    points: true,
    storeCredit: true,
    tracking: true,
    orderNotes: true,
    priceHistory: true,
    platformPriceProtection: false,
    inboundEvents: [
      'order.paid',
      'order.shipped',
      'shipment.updated',
      'aftersale.updated',
      'refund.succeeded',
      'price.changed',
    ],
    piiMasked: settings.piiMasked,
    currencies: ['CNY'],
  };
}

/** The demo shop's HTTP API, without listen(): tests use inject() or listen on port 0. */
export async function buildShopApp(deps: ShopAppDeps): Promise<ShopApp> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ?? false,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  registerErrors(app);
  registerApiKey(app, deps.config.apiKey);
  const chaos = new Chaos(deps.config.chaosHangMs);
  chaos.register(app);
  const settings: ShopSettings = { piiMasked: deps.config.piiMasked };
  const surge = new SurgeRunner(deps.pool, deps.config.seed, now);
  app.addHook('onClose', async () => surge.stop());

  app.get('/healthz', async () => ({ ok: true }));
  await app.register(
    async (api) => {
      api.get('/capabilities', { schema: { tags: ['shop'], summary: 'What this shop can do' } }, async () =>
        capabilities(settings),
      );
      await api.register(orderRoutes, { pool: deps.pool, settings, now });
      await api.register(afterSaleRoutes, { pool: deps.pool, now });
      await api.register(memberRoutes, { pool: deps.pool, settings, now });
    },
    { prefix: '/api' },
  );
  await app.register(adminRoutes, { prefix: '/admin', pool: deps.pool, chaos, surge, settings, now });
  return { app, chaos, settings, surge };
}
