import type { Config } from './config.ts';
import { migrateToLatest } from './db/database.ts';
import { openDatabase } from './db/open.ts';
import type { TokenRole } from './db/tables.ts';
import { AppError } from './errors.ts';
import { installJobQueue } from './jobs/runner.ts';
import { runMaintenance } from './modules/maintenance/maintenance.sweep.ts';
import { createTenant, findTenantBySlug } from './modules/tenants/tenant.service.ts';
import { TokenService } from './modules/tokens/token.service.ts';
import { expireAllDueAccounts } from './modules/users/account-expiry.sweep.ts';
import { seedDemoTenant } from './seed/demo.seed.ts';
import type { DatabaseCommand } from './command-names.ts';

/** The options these commands take (main.ts parses them). */
export type CommandOptions = {
  [
    Name in
      'slug' | 'name' | 'admin-email' | 'admin-password' | 'tenant' | 'role' | 'department' | 'user-email'
  ]?: string;
};

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

/** Runs one command (`tenant create`, …) and returns the exit code; what it prints is its result. */
export async function runDatabaseCommand(
  command: DatabaseCommand,
  values: CommandOptions,
  config: Config,
  log: (message: string) => void,
): Promise<number> {
  const database = await openDatabase(config, log);
  const connectionString = database.pool.options.connectionString as string;
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    await installJobQueue(connectionString);
    switch (command) {
      case 'migrate':
        log('migrations are up to date');
        return 0;
      case 'prepare':
        // Quiet when the tenant exists: `start --workers N` runs this on every start.
        if (await seedDemoTenant(database.db, { email: config.adminEmail, password: config.adminPassword })) {
          log('seeded the demo tenant');
        }
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
        throw new Error(`not a database command: ${String(command)}`);
    }
  } finally {
    await database.close();
  }
}
