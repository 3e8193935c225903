import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { banner } from './banner.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/open.ts';
import { startStatsGuard } from './db/stats-guard.ts';
import { startJobRunner } from './jobs/runner.ts';
import { startIntakeSweeps } from './modules/intake/follow-up.sweep.ts';
import { loadIntakeConfig } from './modules/intake/intake.config.ts';
import { startMaintenance } from './modules/maintenance/maintenance.sweep.ts';
import { shopSecretBox } from './modules/shops/shop-secret-box.ts';
import { prepareDatabase } from './prepare.ts';
import { startDemoShopForDemoTenant } from './seed/demo-shop.start.ts';

/**
 * One server process. SIGTERM/SIGINT drain it: close the listener, finish in-flight requests (the intake
 * queue is flushed by the app's onClose), stop the sweeps, close the pool, exit 0.
 */
export async function serve(
  config: Config,
  log: (message: string) => void,
  isWorker: boolean,
): Promise<void> {
  // A malformed PEAKDESK_SECRET_KEY stops the start here, not at the first shop call.
  shopSecretBox();
  const database = await openDatabase(config, log);
  const connectionString = database.pool.options.connectionString as string;
  if (!isWorker) await prepareDatabase(database.db, connectionString, config, log);
  // The demo shop beside PeakDesk (PEAKDESK_DEMO_SHOP=off to skip); start-up does not wait for it.
  const demoShop = isWorker
    ? undefined
    : await startDemoShopForDemoTenant(database.db, connectionString, config, log);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false })
    : undefined;
  const app = await buildApp({
    db: database.db,
    config,
    redis,
    logger: { level: config.logLevel },
    // The auth cache LISTENs for revocations on its own connection to the same database.
    databaseUrl: connectionString,
  });
  const logError = (message: string, error?: unknown) => app.log.error({ err: error }, message);
  // Follow-up jobs (and with them the assignment of new tickets) run about every second; SLA escalation,
  // account expiry and the dispatch of waiting tickets every fifteen.
  const intakeConfig = loadIntakeConfig();
  const stopIntakeSweeps = startIntakeSweeps(database.db, {
    intervalMs: 1_000,
    keyRetentionMs: intakeConfig.keyRetentionMs,
    doneJobRetentionMs: intakeConfig.doneJobRetentionMs,
    log: logError,
    live: app.live,
  });
  const stopMaintenance = startMaintenance(database.db, {
    intervalMs: 15_000,
    log: logError,
    live: app.live,
  });
  // Fresh tables' statistics, before a surge makes cached key-check plans read whole tables (stats-guard.ts).
  const stopStatsGuard = startStatsGuard(database.db, {
    log: logError,
  });
  // Durable jobs (shop enrichment, retraining, reconciliation, bulk work) run on every node.
  const jobRunner = await startJobRunner({
    connectionString,
    db: database.db,
    log: app.log,
    redisUrl: config.redisUrl,
  });
  const stopSweeps = () =>
    Promise.all([stopIntakeSweeps(), stopMaintenance(), stopStatsGuard(), jobRunner.stop()]);
  await app.listen({ host: config.host, port: config.port });
  if (!isWorker) console.log(banner(config));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining${isWorker ? ` worker ${process.pid}` : ''}`);
    await app.close();
    await stopSweeps();
    await demoShop?.stop();
    redis?.disconnect();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
