import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Department, Role } from '../../db/tables.ts';
import { notifyAuthChange } from './auth-invalidation.ts';

export interface PrincipalUser {
  id: string;
  role: Role;
  department: Department | null;
  isActive: boolean;
  expiresAt: Date | null;
  teamIds: string[];
}

function teamIdsOf(userIdColumn: 'users.id') {
  return sql<string[]>`coalesce((SELECT array_agg(tm.team_id) FROM team_members tm
    WHERE tm.tenant_id = users.tenant_id AND tm.user_id = ${sql.ref(userIdColumn)}), '{}')`;
}

/** Storage for sessions, API tokens and the login directory. Every query is keyed by tenant. */
export class AuthRepository {
  constructor(private readonly db: Db) {}

  findLoginTenants(email: string) {
    return this.db
      .selectFrom('loginDirectory')
      .innerJoin('tenants', 'tenants.id', 'loginDirectory.tenantId')
      .select(['loginDirectory.tenantId', 'loginDirectory.userId', 'tenants.slug'])
      .where('loginDirectory.email', '=', email)
      .execute();
  }

  findUserForLogin(tenantId: string, userId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'passwordHash', 'isActive', 'expiresAt'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  async insertSession(session: {
    tenantId: string;
    idHash: string;
    userId: string;
    csrfToken: string;
    ip: string | null;
    userAgent: string | null;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('sessions').values(session).execute();
      await tx
        .updateTable('users')
        .set({ lastLoginAt: new Date() })
        .where('tenantId', '=', session.tenantId)
        .where('id', '=', session.userId)
        .execute();
    });
  }

  findSession(tenantId: string, idHash: string) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', (join) =>
        join.onRef('users.tenantId', '=', 'sessions.tenantId').onRef('users.id', '=', 'sessions.userId'),
      )
      .select([
        'sessions.csrfToken',
        'sessions.expiresAt',
        'users.id',
        'users.role',
        'users.department',
        'users.isActive',
        'users.expiresAt as userExpiresAt',
        teamIdsOf('users.id').as('teamIds'),
      ])
      .where('sessions.tenantId', '=', tenantId)
      .where('sessions.idHash', '=', idHash)
      .executeTakeFirst();
  }

  /** Ends one session, and tells every process to forget it (on commit). */
  async deleteSession(tenantId: string, idHash: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('sessions').where('tenantId', '=', tenantId).where('idHash', '=', idHash).execute();
      await notifyAuthChange(tx, tenantId, idHash);
    });
  }

  async findToken(tenantId: string, tokenHash: string) {
    const token = await this.db
      .selectFrom('apiTokens')
      .select(['id', 'role', 'department', 'userId', 'expiresAt', 'revokedAt'])
      .where('tenantId', '=', tenantId)
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
    if (!token) return undefined;
    let user: PrincipalUser | undefined;
    if (token.userId) {
      user = await this.db
        .selectFrom('users')
        .select(['id', 'role', 'department', 'isActive', 'expiresAt', teamIdsOf('users.id').as('teamIds')])
        .where('tenantId', '=', tenantId)
        .where('id', '=', token.userId)
        .executeTakeFirst();
    }
    return { ...token, role: token.role, user };
  }

  async touchToken(tenantId: string, id: string): Promise<void> {
    await this.db
      .updateTable('apiTokens')
      .set({ lastUsedAt: new Date() })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }
}
