import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { isClusterWorker, runPrimary } from './cluster.ts';
import { createDb, createPool, migrateToLatest, type Db } from './db/database.ts';
import { openDatabase, resolveDatabaseServer } from './db/open.ts';
import type { TokenRole } from './db/tables.ts';
import { AppError } from './errors.ts';
import { installJobQueue, startJobRunner } from './jobs/runner.ts';
import { startIntakeSweeps } from './modules/intake/follow-up.sweep.ts';
import { loadIntakeConfig } from './modules/intake/intake.config.ts';
import { runMaintenance, startMaintenance } from './modules/maintenance/maintenance.sweep.ts';
import { createTenant, findTenantBySlug } from './modules/tenants/tenant.service.ts';
import { TokenService } from './modules/tokens/token.service.ts';
import { expireAllDueAccounts } from './modules/users/account-expiry.sweep.ts';
import { DEMO_SLUG, DEMO_STAFF_PASSWORD, seedDemoTenant } from './seed/demo.seed.ts';
import { startDemoShopForDemoTenant } from './seed/demo-shop.start.ts';
import { shopSecretBox } from './modules/shops/shop-secret-box.ts';

const USAGE = `usage: peakdesk <command> [options]

commands:
  start [--workers N]        migrate, seed the demo tenant on first start, serve HTTP on PORT (default 3000);
                             with --workers, N server processes share the port (SIGTERM drains them)
  migrate                    apply pending database migrations
  seed                       seed the demo tenant (once)
  tenant create --slug S --name N --admin-email E --admin-password P
  token create --tenant S --role R [--name N] [--department D] [--user-email E]
                             print a new API token (alone on the last line)
  sweep expire-accounts      deactivate accounts past their expiresAt (sessions and tokens end)
  sweep maintenance          one pass of SLA escalation, account expiry and waiting-ticket dispatch (JSON)

environment: DATABASE_URL (else an embedded PostgreSQL under ./data), REDIS_URL, PORT, HOST,
             PEAKDESK_ADMIN_EMAIL, PEAKDESK_ADMIN_PASSWORD (the demo admin, on first start)`;

const TOKEN_ROLES: readonly TokenRole[] = [
  'admin',
  'supervisor',
  'agent',
  'outsourced_agent',
  'collaborator',
  'integration',
];
const DEPARTMENTS = ['warehouse', 'logistics', 'purchasing'] as const;

/** A required option that must be one of `allowed`, refused with a message naming them (not a SQL error). */
function oneOf<T extends string>(
  values: Record<string, string | boolean | undefined>,
  name: string,
  allowed: readonly T[],
): T {
  const value = required(values, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new AppError('VALIDATION_FAILED', `--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '')
    throw new AppError('VALIDATION_FAILED', `--${name} is required`);
  return value;
}

function banner(config: Config): string {
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `
PeakDesk is running: http://${shownHost}:${config.port}/
API docs:            http://${shownHost}:${config.port}/api/docs
Customer portal:     http://${shownHost}:${config.port}/portal/${DEMO_SLUG}
Demo login:          ${config.adminEmail} / ${process.env.PEAKDESK_ADMIN_PASSWORD ? '(PEAKDESK_ADMIN_PASSWORD)' : config.adminPassword}
Other demo staff:    lead@demo.peakdesk.local, li.na@demo.peakdesk.local, temp01@outsource.example … / ${DEMO_STAFF_PASSWORD}
`;
}

async function prepareDatabase(
  db: Db,
  connectionString: string,
  config: Config,
  log: (message: string) => void,
): Promise<void> {
  const applied = await migrateToLatest(db);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  await installJobQueue(connectionString);
  const seeded = await seedDemoTenant(db, { email: config.adminEmail, password: config.adminPassword });
  if (seeded) log('seeded the demo tenant');
}

/**
 * One server process. SIGTERM/SIGINT drain it: close the listener, finish in-flight requests (the intake
 * queue is flushed by the app's onClose), stop the sweeps, close the pool, exit 0.
 */
async function serve(config: Config, log: (message: string) => void, isWorker: boolean): Promise<void> {
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
  // Follow-up jobs (and with them the assignment of new tickets) run about every second; SLA escalation,
  // account expiry and the dispatch of waiting tickets every fifteen.
  const stopIntakeSweeps = startIntakeSweeps(database.db, {
    intervalMs: 1_000,
    keyRetentionMs: loadIntakeConfig().keyRetentionMs,
    log: (message, error) => app.log.error({ err: error }, message),
    live: app.live,
  });
  const stopMaintenance = startMaintenance(database.db, {
    intervalMs: 15_000,
    log: (message, error) => app.log.error({ err: error }, message),
    live: app.live,
  });
  // Durable jobs (shop enrichment, retraining, reconciliation, bulk work) run on every node.
  const jobRunner = await startJobRunner({
    connectionString,
    db: database.db,
    log: app.log,
    redisUrl: config.redisUrl,
  });
  const stopSweeps = () => Promise.all([stopIntakeSweeps(), stopMaintenance(), jobRunner.stop()]);
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

async function start(config: Config, log: (message: string) => void, workers: number): Promise<void> {
  if (workers <= 1 || isClusterWorker()) return serve(config, log, isClusterWorker());
  await runPrimary({
    workers,
    log,
    prepare: async () => {
      // The primary alone starts the embedded PostgreSQL (if any), migrates and seeds; workers only serve.
      const server = await resolveDatabaseServer(config, log);
      const db = createDb(createPool(server.url, 2));
      let demoShop: Awaited<ReturnType<typeof startDemoShopForDemoTenant>>;
      try {
        await prepareDatabase(db, server.url, config, log);
        demoShop = await startDemoShopForDemoTenant(db, server.url, config, log);
      } catch (error) {
        await db.destroy();
        throw error;
      }
      // The demo shop's first-start linking of demo tickets uses this handle in the background.
      if (!demoShop) await db.destroy();
      console.log(banner(config));
      return {
        env: { DATABASE_URL: server.url },
        release: async () => {
          await demoShop?.stop();
          if (demoShop) await db.destroy();
          await server.stop();
        },
      };
    },
  });
}

const WITH_SUBCOMMAND = new Set(['tenant', 'token', 'sweep']);

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const config = loadConfig();
  const log = (message: string) => console.error(`[peakdesk] ${message}`);
  const { values } = parseArgs({
    args: WITH_SUBCOMMAND.has(command ?? '') ? rest : argv.slice(1),
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
      'user-email': { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'start') {
    const workers = Number(values.workers ?? 1);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      throw new AppError('VALIDATION_FAILED', '--workers must be a whole number from 1 to 64');
    }
    await start(config, log, workers);
    return -1;
  }
  const database = await openDatabase(config, log);
  try {
    await migrateToLatest(database.db);
    await installJobQueue(database.pool.options.connectionString as string);
    switch (`${command}${sub && WITH_SUBCOMMAND.has(command ?? '') ? ` ${sub}` : ''}`) {
      case 'migrate':
        log('migrations are up to date');
        return 0;
      case 'seed':
        log(
          (await seedDemoTenant(database.db, { email: config.adminEmail, password: config.adminPassword }))
            ? 'seeded the demo tenant'
            : 'the demo tenant exists already',
        );
        return 0;
      case 'tenant create': {
        const created = await createTenant(database.db, {
          slug: required(values, 'slug'),
          name: required(values, 'name'),
          adminEmail: required(values, 'admin-email'),
          adminPassword: required(values, 'admin-password'),
        });
        console.log(created.tenantId);
        return 0;
      }
      case 'token create': {
        const slug = required(values, 'tenant');
        const tenant = await findTenantBySlug(database.db, slug);
        if (!tenant) throw new AppError('TENANT_NOT_FOUND', `No tenant "${slug}"`);
        const role = oneOf(values, 'role', TOKEN_ROLES);
        if (values.department !== undefined) oneOf(values, 'department', DEPARTMENTS);
        let userId: string | null = null;
        if (values['user-email']) {
          const user = await database.db
            .selectFrom('users')
            .select('id')
            .where('tenantId', '=', tenant.id)
            .where('email', '=', values['user-email'].toLowerCase())
            .executeTakeFirst();
          if (!user) throw new AppError('USER_NOT_FOUND', `No user ${values['user-email']} in ${slug}`);
          userId = user.id;
        }
        const { token } = await new TokenService(database.db).create(null, {
          tenantId: tenant.id,
          name: values.name ?? `cli ${role} token`,
          role,
          department: (values.department as never) ?? null,
          userId,
        });
        console.log(token);
        return 0;
      }
      case 'sweep expire-accounts':
        log(`expired ${await expireAllDueAccounts(database.db, new Date())} account(s)`);
        return 0;
      case 'sweep maintenance':
        console.log(JSON.stringify(await runMaintenance(database.db, new Date())));
        return 0;
      default:
        console.error(`unknown command: ${argv.join(' ')}\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await database.close();
  }
}

try {
  const code = await run(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`peakdesk: ${error.message}`);
    process.exit(2);
  }
  // parseArgs: an unknown option or a missing value is a usage error, not a crash.
  if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
    console.error(`peakdesk: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}

export { DEMO_SLUG };
