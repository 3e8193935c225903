import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/secrets.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { insertUser } from '../users/user.repository.ts';

export interface CreateTenantInput {
  slug: string;
  name: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

export interface CreatedTenant {
  tenantId: string;
  adminUserId: string;
}

export async function findTenantBySlug(db: Db, slug: string) {
  return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Creates a tenant with its first admin, atomically. */
export async function createTenant(db: Db, input: CreateTenantInput): Promise<CreatedTenant> {
  const slug = input.slug.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
    throw new AppError('VALIDATION_FAILED', 'The slug takes 2–63 lowercase letters, digits and dashes');
  }
  if (input.adminPassword.length < 8)
    throw new AppError('VALIDATION_FAILED', 'The admin password needs at least 8 characters');
  const email = input.adminEmail.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new AppError('VALIDATION_FAILED', 'The admin email is not valid');
  const tenantId = uuidv7();
  const adminUserId = uuidv7();
  const passwordHash = await hashPassword(input.adminPassword);
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('tenants')
        .values({ id: tenantId, slug, name: input.name, createdAt: new Date() })
        .execute();
      await insertUser(tx, {
        tenantId,
        id: adminUserId,
        email,
        name: input.adminName ?? 'Administrator',
        role: 'admin',
        department: null,
        passwordHash,
      });
      await recordAudit(tx, {
        tenantId,
        actor: null,
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: tenantId,
        details: { slug, adminEmail: email },
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError('SLUG_TAKEN', `The slug "${slug}" is taken`);
    throw error;
  }
  return { tenantId, adminUserId };
}
