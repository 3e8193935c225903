import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { banner } from './banner.ts';
import { isClusterWorker, runPrimary } from './cluster.ts';
import { isDatabaseCommand } from './command-names.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { DatabaseServer } from './db/open.ts';
import { AppError } from './errors.ts';
import { isDemoShopEnabled } from './modules/shops/demo-shop.process.ts';

// Only the CLI and the cluster primary are imported statically: everything else (Fastify, the modules, the
// database layer) is imported on the path that needs it, so that a primary forking workers stays small.

const USAGE = `usage: peakdesk <command> [options]

commands:
  start [--workers N]        migrate, seed the demo tenant on first start, serve HTTP on PORT (default 3000);
                             with --workers, N server processes share the port (SIGTERM drains them)
  migrate                    apply pending database migrations
  prepare                    migrate and seed the demo tenant if missing (what start does before serving)
  seed                       seed the demo tenant (once)
  tenant create --slug S --name N --admin-email E --admin-password P
  token create --tenant S --role R [--name N] [--department D] [--user-email E]
                             print a new API token (alone on the last line)
  sweep expire-accounts      deactivate accounts past their expiresAt (sessions and tokens end)
  sweep maintenance          one pass of SLA escalation, account expiry and waiting-ticket dispatch (JSON)

environment: DATABASE_URL (else an embedded PostgreSQL under ./data), REDIS_URL, PORT, HOST,
             PEAKDESK_ADMIN_EMAIL, PEAKDESK_ADMIN_PASSWORD (the demo admin, on first start)`;

/** `peakdesk prepare` with the primary's database, in a child process whose memory is returned on exit. */
function prepareInChild(databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The same command as this process (node:cluster forks process.argv[1] the same way).
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', 'prepare'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`peakdesk prepare exited with ${signal ?? code}`)),
    );
  });
}

/**
 * The cluster primary. It starts the embedded PostgreSQL if there is no DATABASE_URL (and stops it last),
 * has a child process migrate and seed, runs the demo shop if enabled, then forks the workers. It never
 * builds the app, so it imports the database layer only for the embedded server or the demo shop.
 */
async function startPrimary(config: Config, log: (message: string) => void, workers: number): Promise<void> {
  await runPrimary({
    workers,
    log,
    prepare: async () => {
      const server: DatabaseServer = config.databaseUrl
        ? { url: config.databaseUrl, stop: async () => undefined }
        : await (await import('./db/open.ts')).resolveDatabaseServer(config, log);
      let stopDemoShop: (() => Promise<void>) | undefined;
      try {
        await prepareInChild(server.url);
        if (isDemoShopEnabled(process.env)) stopDemoShop = await startDemoShop(config, server.url, log);
      } catch (error) {
        await server.stop();
        throw error;
      }
      console.log(banner(config));
      return {
        env: { DATABASE_URL: server.url },
        release: async () => {
          await stopDemoShop?.();
          await server.stop();
        },
      };
    },
  });
}

/** The demo shop beside the cluster; its handle stays open while it links demo tickets in the background. */
async function startDemoShop(
  config: Config,
  databaseUrl: string,
  log: (message: string) => void,
): Promise<(() => Promise<void>) | undefined> {
  const [{ createDb, createPool }, { startDemoShopForDemoTenant }] = await Promise.all([
    import('./db/database.ts'),
    import('./seed/demo-shop.start.ts'),
  ]);
  const db = createDb(createPool(databaseUrl, 2));
  const shop = await startDemoShopForDemoTenant(db, databaseUrl, config, log).catch(
    async (error: unknown) => {
      await db.destroy();
      throw error;
    },
  );
  if (!shop) {
    await db.destroy();
    return undefined;
  }
  return async () => {
    await shop.stop();
    await db.destroy();
  };
}

const WITH_SUBCOMMAND = new Set(['tenant', 'token', 'sweep']);

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
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
    if (workers > 1 && !isClusterWorker()) await startPrimary(config, log, workers);
    else await (await import('./serve.ts')).serve(config, log, isClusterWorker());
    return -1;
  }
  const name = `${command}${sub && WITH_SUBCOMMAND.has(command) ? ` ${sub}` : ''}`;
  if (!isDatabaseCommand(name)) {
    console.error(`unknown command: ${argv.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const { runDatabaseCommand } = await import('./commands.ts');
  return runDatabaseCommand(name, values, config, log);
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
