import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { populateSampleCatalogue } from './catalogue.ts';
import { seedOrders } from './seed-orders.ts';

/**
 * `vendure-fixture start`: a real Vendure server on 127.0.0.1 (PORT, default a free port), a fresh in-memory
 * sql.js database with the sample catalogue and VENDURE_FIXTURE_ORDERS seeded orders (default 60), and, when
 * VENDURE_FIXTURE_WEBHOOK_URL is set, the PeakDesk webhook plugin signing with VENDURE_FIXTURE_WEBHOOK_SECRET.
 * When ready it prints one JSON line (Admin API URL and credentials) and runs until SIGTERM or SIGINT.
 */

// Vendure otherwise reports usage to its servers a few seconds after start; this machine has no internet,
// and a test fixture has no business calling out.
process.env.VENDURE_DISABLE_TELEMETRY = 'true';

const command = process.argv[2] ?? 'start';
if (command !== 'start') {
  console.error(`unknown command "${command}"; usage: vendure-fixture start`);
  process.exit(2);
}

const startedAt = Date.now();
const { bootstrap, JobQueueService } = await import('@vendure/core');
const { buildVendureConfig } = await import('./vendure-config.ts');

const superadmin = {
  identifier: 'superadmin',
  password: process.env.VENDURE_FIXTURE_SUPERADMIN_PASSWORD || randomBytes(12).toString('hex'),
};
const webhookUrl = process.env.VENDURE_FIXTURE_WEBHOOK_URL;
const app = await bootstrap(
  buildVendureConfig({
    port: Number(process.env.PORT ?? 0),
    superadmin,
    ...(webhookUrl
      ? { webhook: { url: webhookUrl, secret: process.env.VENDURE_FIXTURE_WEBHOOK_SECRET ?? '' } }
      : {}),
  }),
);
const { products } = await populateSampleCatalogue(app);
await app.get(JobQueueService).start();

const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
const baseUrl = `http://127.0.0.1:${port}`;
const seeded = await seedOrders({
  shopApiUrl: `${baseUrl}/shop-api`,
  adminApiUrl: `${baseUrl}/admin-api`,
  superadmin,
  orders: Number(process.env.VENDURE_FIXTURE_ORDERS ?? 60),
});

console.log(
  JSON.stringify({
    port,
    adminApiUrl: `${baseUrl}/admin-api`,
    shopApiUrl: `${baseUrl}/shop-api`,
    superadmin,
    products,
    orders: seeded.orders,
    couponCode: seeded.couponCode,
    readyInMs: Date.now() - startedAt,
  }),
);

let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
