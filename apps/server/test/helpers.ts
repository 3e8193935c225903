import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppDeps } from '../src/app.ts';
import { createDb, createPool, type Db } from '../src/db/database.ts';
import type { Department, Role, TokenRole } from '../src/db/tables.ts';
import { uuidv7 } from '../src/lib/ids.ts';
import { hashPassword } from '../src/lib/secrets.ts';
import { createTenant } from '../src/modules/tenants/tenant.service.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { insertUser } from '../src/modules/users/user.repository.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

let shared: Db | undefined;

/** One pool per test file, on the run's own database. */
export function testDb(): Db {
  shared ??= createDb(createPool(inject('databaseUrl'), 5));
  return shared;
}

export async function buildTestApp(overrides: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    db: testDb(),
    config: {
      bodyLimitBytes: 1024 * 1024,
      sessionTtlSeconds: 3600,
      secureCookies: false,
      logLevel: 'silent',
    },
    logger: false,
    ...overrides,
  });
  await app.ready();
  return app;
}

export interface TestTenant {
  id: string;
  slug: string;
  adminEmail: string;
  adminUserId: string;
  /** An admin API token acting for the admin user. */
  adminToken: string;
}

let counter = 0;

/** A fresh tenant per test (or per file): tenants never see each other, so tests share one database safely. */
export async function createTestTenant(name = 'Test shop'): Promise<TestTenant> {
  const db = testDb();
  const slug = `t-${Date.now().toString(36)}-${process.pid}-${(counter++).toString(36)}`;
  const adminEmail = `admin@${slug}.test`;
  const { tenantId, adminUserId } = await createTenant(db, {
    slug,
    name,
    adminEmail,
    adminPassword: TEST_PASSWORD,
  });
  const { token } = await new TokenService(db).create(null, {
    tenantId,
    name: 'test admin',
    role: 'admin',
    userId: adminUserId,
  });
  return { id: tenantId, slug, adminEmail, adminUserId, adminToken: token };
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

let passwordHash: Promise<string> | undefined;

/** A user of the given role (with a token acting for it), optionally in teams. */
export async function createTestUser(
  tenant: TestTenant,
  role: Role,
  options: { teamIds?: string[]; department?: Department; email?: string; expiresAt?: Date | null } = {},
): Promise<TestUser> {
  const db = testDb();
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = uuidv7();
  const email = options.email ?? `${role}-${id.slice(-8)}@${tenant.slug}.test`;
  await db.transaction().execute(async (tx) => {
    await insertUser(tx, {
      tenantId: tenant.id,
      id,
      email,
      name: `${role} ${id.slice(-4)}`,
      role,
      department: role === 'collaborator' ? (options.department ?? 'warehouse') : null,
      passwordHash: await passwordHash!,
      expiresAt: options.expiresAt ?? null,
    });
    for (const teamId of options.teamIds ?? []) {
      await tx
        .insertInto('teamMembers')
        .values({ tenantId: tenant.id, teamId, userId: id, createdAt: new Date() })
        .execute();
    }
  });
  const { token } = await new TokenService(db).create(null, {
    tenantId: tenant.id,
    name: `${role} test token`,
    role,
    department: role === 'collaborator' ? (options.department ?? 'warehouse') : null,
    userId: id,
  });
  return { id, email, role, token };
}

/** A standalone token (no user behind it), e.g. an integration. */
export async function createTestToken(tenant: TestTenant, role: TokenRole): Promise<string> {
  const { token } = await new TokenService(testDb()).create(null, {
    tenantId: tenant.id,
    name: `${role} token`,
    role,
  });
  return token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** `app.inject` with a bearer token, returning the response with its parsed JSON body. */
export async function call(
  app: FastifyInstance,
  token: string | null,
  options: InjectOptions,
): Promise<LightMyRequestResponse & { body: string; data: any }> {
  const response = await app.inject({
    ...options,
    headers: { ...(token ? bearer(token) : {}), ...(options.headers ?? {}) },
  });
  let data: unknown = undefined;
  try {
    data = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    data = undefined;
  }
  return Object.assign(response, { data });
}
