import type { Config } from './config.ts';
import { migrateToLatest, type Db } from './db/database.ts';
import { installJobQueue } from './jobs/runner.ts';
import { seedDemoTenant } from './seed/demo.seed.ts';

/**
 * What runs once before serving: pending migrations, graphile-worker's schema, the demo tenant on first
 * start. Safe to repeat. `peakdesk start` runs it in its one process; `start --workers N` runs
 * `peakdesk prepare` as a short-lived child, so that the primary never loads the app.
 */
export async function prepareDatabase(
  db: Db,
  connectionString: string,
  config: Pick<Config, 'adminEmail' | 'adminPassword'>,
  log: (message: string) => void,
): Promise<void> {
  const applied = await migrateToLatest(db);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  await installJobQueue(connectionString);
  const seeded = await seedDemoTenant(db, { email: config.adminEmail, password: config.adminPassword });
  if (seeded) log('seeded the demo tenant');
}
