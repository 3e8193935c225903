import { buildShopApp } from './app.ts';
import { ConfigError, loadShopConfig, type ShopConfig } from './config.ts';
import { createPool } from './db/pool.ts';
import { ensureSchema } from './db/schema.ts';
import { startOutboxLoop } from './modules/events/outbox.sweep.ts';
import { seedShop } from './seed/seed.ts';

const USAGE = `usage: demo-shop <command>

commands:
  start   create the schema, seed it when empty, serve the shop API on 127.0.0.1:PORT (default 3100)
          and deliver events to DEMO_SHOP_WEBHOOK_URL
  seed    replace all shop data with a fresh deterministic seed (DEMO_SHOP_SEED, DEMO_SHOP_ORDERS)

environment: DEMO_SHOP_DATABASE_URL (else DATABASE_URL), DEMO_SHOP_SCHEMA (demo_shop), DEMO_SHOP_API_KEY,
             DEMO_SHOP_WEBHOOK_URL, DEMO_SHOP_WEBHOOK_SECRET, DEMO_SHOP_PII_MASKED, PORT`;

const log = (message: string) => console.error(`[demo-shop] ${message}`);

async function seed(config: ShopConfig): Promise<void> {
  const pool = createPool(config.databaseUrl, config.schema, 4);
  try {
    const result = await seedShop(pool, config.schema, { seed: config.seed, orders: config.seedOrders });
    log(
      `seeded ${result.orders} orders, ${result.members} members, ${result.trackingEvents} tracking events in ${result.milliseconds} ms`,
    );
  } finally {
    await pool.end();
  }
}

async function start(config: ShopConfig): Promise<void> {
  const pool = createPool(config.databaseUrl, config.schema, 10);
  await ensureSchema(pool, config.schema);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
  if (rows[0]!.n === 0) {
    const result = await seedShop(pool, config.schema, { seed: config.seed, orders: config.seedOrders });
    log(`seeded ${result.orders} orders in ${result.milliseconds} ms`);
  }
  const { app } = await buildShopApp({ pool, config, logger: { level: process.env.LOG_LEVEL || 'warn' } });
  // Loopback only: the demo shop has one shared API key and admin switches.
  const address = await app.listen({ host: '127.0.0.1', port: config.port });
  const stopOutbox = startOutboxLoop(
    pool,
    {
      webhookUrl: config.webhookUrl,
      secret: config.webhookSecret,
      timeoutMs: config.webhookTimeoutMs,
      backoffMs: config.outboxBackoffMs,
      duplicateRate: config.duplicateRate,
    },
    config.outboxIntervalMs,
    log,
  );
  const port = (app.server.address() as { port: number }).port;
  // One JSON line on stdout, so that a parent process (tests) can read the port when PORT=0.
  console.log(JSON.stringify({ listening: address, port }));
  log(
    `shop API on ${address}, events ${config.webhookUrl ? `to ${config.webhookUrl}` : 'kept in the outbox (no DEMO_SHOP_WEBHOOK_URL)'}`,
  );
  const shutdown = async () => {
    stopOutbox();
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

try {
  const config = loadShopConfig();
  const command = process.argv[2];
  if (command === 'start') await start(config);
  else if (command === 'seed') await seed(config);
  else {
    console.error(USAGE);
    process.exitCode = command ? 2 : 0;
  }
} catch (error) {
  log(error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
}
