import type { Db } from '../../db/database.ts';
import type { Department, TokenRole } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { hashSecret, randomSecret } from '../../lib/secrets.ts';
import { canManageRole, type Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { formatApiToken } from '../auth/credentials.ts';
import { notifyAuthChange } from '../auth/auth-invalidation.ts';

export interface CreateTokenInput {
  tenantId: string;
  name: string;
  role: TokenRole;
  department?: Department | null;
  userId?: string | null;
  expiresAt?: Date | null;
}

export interface TokenView {
  id: string;
  name: string;
  role: TokenRole;
  department: Department | null;
  userId: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** API tokens are shown once, at creation; only their hash is stored. */
export class TokenService {
  constructor(private readonly db: Db) {}

  async create(
    actor: Actor | null,
    input: CreateTokenInput,
    ip?: string,
  ): Promise<{ token: string; view: TokenView }> {
    if (actor && !canManageRole(actor, input.role))
      throw new AppError('FORBIDDEN', `You may not create ${input.role} tokens`);
    if ((input.role === 'collaborator') !== Boolean(input.department)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Collaborator tokens need a department, and only they take one',
      );
    }
    if (input.userId) {
      const user = await this.db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('tenantId', '=', input.tenantId)
        .where('id', '=', input.userId)
        .executeTakeFirst();
      if (!user) throw new AppError('USER_NOT_FOUND');
      if (user.role !== input.role)
        throw new AppError('VALIDATION_FAILED', "A user's token takes the user's role");
    }
    const secret = randomSecret();
    const id = uuidv7();
    const row = await this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('apiTokens')
        .values({
          tenantId: input.tenantId,
          id,
          name: input.name,
          role: input.role,
          department: input.department ?? null,
          userId: input.userId ?? null,
          tokenHash: hashSecret(secret),
          createdBy: actor?.id ?? null,
          createdAt: new Date(),
          expiresAt: input.expiresAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        tenantId: input.tenantId,
        actor,
        action: 'token.created',
        targetType: 'api_token',
        targetId: id,
        ip: ip ?? null,
        details: { name: input.name, role: input.role },
      });
      return inserted;
    });
    return { token: formatApiToken(input.tenantId, secret), view: present(row) };
  }

  async list(tenantId: string): Promise<TokenView[]> {
    const rows = await this.db
      .selectFrom('apiTokens')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
    return rows.map(present);
  }

  async revoke(actor: Actor, id: string, ip: string): Promise<TokenView> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('apiTokens')
        .set((eb) => ({ revokedAt: eb.fn.coalesce('revokedAt', eb.val(new Date())) }))
        .where('tenantId', '=', actor.tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError('TOKEN_NOT_FOUND');
      await notifyAuthChange(tx, actor.tenantId, id);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'token.revoked',
        targetType: 'api_token',
        targetId: id,
        ip,
      });
      return present(row);
    });
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function present(row: {
  id: string;
  name: string;
  role: TokenRole;
  department: Department | null;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    department: row.department,
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}
