import type { Kysely } from 'kysely';
import type { Database, Department, Role } from '../../db/tables.ts';

export interface NewUser {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  department: Department | null;
  passwordHash: string | null;
  capacity?: number;
  expiresAt?: Date | null;
}

/** Inserts a user and its login-directory entry; pass a transaction so both land together. */
export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...user, expiresAt: user.expiresAt ?? null, createdAt: new Date(), updatedAt: new Date() })
    .execute();
  await db
    .insertInto('loginDirectory')
    .values({ email: user.email, tenantId: user.tenantId, userId: user.id })
    .execute();
}
