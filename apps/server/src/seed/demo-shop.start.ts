import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import {
  demoShopPort,
  isDemoShopEnabled,
  startDemoShopProcess,
  type DemoShopProcess,
} from '../modules/shops/demo-shop.process.ts';
import { shopSecretBox } from '../modules/shops/shop-secret-box.ts';
import { defaultShopGateway } from '../modules/shops/shop-gateway.ts';
import { findTenantBySlug } from '../modules/tenants/tenant.service.ts';
import { ensureDemoShopConnection, linkDemoTicketsToShop } from './demo-shop.seed.ts';
import { DEMO_SLUG } from './demo.seed.ts';

/**
 * `peakdesk start` with the demo tenant: connect it to the demo shop (once), run the shop beside PeakDesk and,
 * once it serves, point the demo tickets at its orders (once, in the background: start-up never waits for the
 * shop, and `db` must stay open meanwhile). Unless `PEAKDESK_DEMO_SHOP=off`.
 */
export async function startDemoShopForDemoTenant(
  db: Db,
  databaseUrl: string,
  config: Pick<Config, 'host' | 'port'>,
  log: (message: string) => void,
): Promise<DemoShopProcess | undefined> {
  if (!isDemoShopEnabled(process.env)) return undefined;
  const tenant = await findTenantBySlug(db, DEMO_SLUG);
  if (!tenant) return undefined;
  const port = demoShopPort(process.env);
  const link = await ensureDemoShopConnection(db, tenant.id, shopSecretBox(), `http://127.0.0.1:${port}`);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const shop = startDemoShopProcess({
    databaseUrl,
    port,
    apiKey: link.apiKey,
    webhookSecret: link.webhookSecret,
    webhookUrl: `http://${host}:${config.port}/api/v1/webhooks/shops/${link.connection.id}`,
    log: (message) => log(message.startsWith('[demo-shop]') ? message : `[demo-shop] ${message}`),
  });
  void shop.ready
    .then(async (url) => {
      log(`demo shop on ${url}, connected to the demo tenant (PEAKDESK_DEMO_SHOP=off to run without it)`);
      const linked = await linkDemoTicketsToShop(db, link.connection, defaultShopGateway());
      if (linked) log(`pointed ${linked} demo tickets at demo-shop orders`);
    })
    .catch((error: unknown) => log(`demo shop: ${error instanceof Error ? error.message : String(error)}`));
  return shop;
}
