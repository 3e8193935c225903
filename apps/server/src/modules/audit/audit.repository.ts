import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';

export interface AuditEntry {
  tenantId: string;
  actor: Actor | null;
  /** 'system' for background jobs (sweeps); otherwise taken from the actor, or 'anonymous' without one. */
  actorType?: 'system';
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Append-only: the table rejects UPDATE and DELETE. Pass a transaction to record atomically with the change. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      tenantId: entry.tenantId,
      id: uuidv7(),
      actorType: entry.actorType ?? (entry.actor ? entry.actor.kind : 'anonymous'),
      actorId: entry.actor?.id ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  action?: string;
  actorId?: string;
  /** uuidv7 of the last entry of the previous page: entries are returned newest first. */
  before?: string;
  limit: number;
}

export async function listAudit(db: Kysely<Database>, tenantId: string, query: AuditQuery) {
  let q = db.selectFrom('auditLog').selectAll().where('tenantId', '=', tenantId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorId) q = q.where('actorId', '=', query.actorId);
  if (query.before) q = q.where('id', '<', query.before);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}
