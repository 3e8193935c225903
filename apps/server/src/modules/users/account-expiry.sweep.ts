import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { revokeAccess } from './user.repository.ts';

export const EXPIRY_SWEEP_BATCH = 500;

/**
 * Deactivates accounts past their `expiresAt`: login-directory entry, sessions and API tokens go with them,
 * and each is audited as `user.expired`. Login and credentials are already refused past `expiresAt` (see
 * auth.service.ts); this sweep makes that state explicit and durable. Claims at most `limit` due users with
 * FOR UPDATE SKIP LOCKED, so a second sweep running concurrently takes other rows or none, and a sweep that
 * finds its work done returns 0. Runs across all tenants.
 */
export async function expireAccounts(
  db: Db,
  now: Date,
  options: { limit?: number; tenantId?: string } = {},
): Promise<{ expired: number }> {
  const limit = options.limit ?? EXPIRY_SWEEP_BATCH;
  return db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom('users')
      .select(['tenantId', 'id', 'email', 'expiresAt'])
      .where('isActive', '=', true)
      .where('expiresAt', 'is not', null)
      .where('expiresAt', '<=', now);
    // One tenant only: for a per-tenant run (and tests, which share a database between files).
    if (options.tenantId) query = query.where('tenantId', '=', options.tenantId);
    const due = await query.orderBy('expiresAt').limit(limit).forUpdate().skipLocked().execute();
    // Map.groupBy needs Node 21; PeakDesk supports Node 20.
    const byTenant = new Map<string, typeof due>();
    for (const user of due) byTenant.set(user.tenantId, [...(byTenant.get(user.tenantId) ?? []), user]);
    for (const [tenantId, users] of byTenant) {
      const ids = users.map((u) => u.id);
      await tx
        .updateTable('users')
        .set({ isActive: false, deactivatedAt: now, updatedAt: now })
        .where('tenantId', '=', tenantId)
        .where('id', 'in', ids)
        .execute();
      await revokeAccess(tx, tenantId, ids, now);
      for (const user of users) {
        await recordAudit(tx, {
          tenantId,
          actor: null,
          actorType: 'system',
          action: 'user.expired',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, expiresAt: user.expiresAt?.toISOString() ?? null },
        });
      }
    }
    return { expired: due.length };
  });
}

/** Runs batches until none is full: what the CLI command does, and later the scheduled job. */
export async function expireAllDueAccounts(
  db: Db,
  now: Date,
  options: { batch?: number; tenantId?: string } = {},
): Promise<number> {
  const batch = options.batch ?? EXPIRY_SWEEP_BATCH;
  let total = 0;
  for (;;) {
    const { expired } = await expireAccounts(db, now, {
      limit: batch,
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    });
    total += expired;
    if (expired < batch) return total;
  }
}
