import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  ClassifierRulesTable,
  ClassifierTenantModelsTable,
  Database,
  ActorType,
} from '../../db/tables.ts';
import { orderedRuleStore } from '../../lib/ordered-rules.repository.ts';
import { notifyConfigChange } from '../auth/auth-invalidation.ts';

/** Storage of the classifier's tenant data (0010); every query is keyed by tenant. */
type Db = Kysely<Database>;
export type ClassifierRuleRow = Selectable<ClassifierRulesTable>;
export type TenantModelRow = Selectable<ClassifierTenantModelsTable>;

const store = orderedRuleStore('classifierRules');
export const { findRules, findRule, nextPosition, deleteRule } = store;

/** Rule writes NOTIFY peakdesk_config in the caller's transaction: every process drops the tenant's config. */
export async function insertRule(
  db: Db,
  row: Omit<ClassifierRuleRow, 'createdAt' | 'updatedAt' | 'version'>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('classifierRules')
    .values({ ...row, createdAt: now, updatedAt: now })
    .execute();
  await notifyConfigChange(db, row.tenantId);
}

/** Compare-and-set on `version`: false when the rule changed since it was read. */
export async function updateRule(
  db: Db,
  tenantId: string,
  id: string,
  version: number,
  patch: Partial<Pick<ClassifierRuleRow, 'position' | 'kind' | 'pattern' | 'category' | 'enabled'>>,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('classifierRules')
    .set({ ...patch, version: sql`version + 1`, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  await notifyConfigChange(db, tenantId);
  return r.numUpdatedRows > 0n;
}

/** What the classifier reads of a ticket: its subject and first customer message, as intake classified it. */
export async function findTicketText(db: Db, tenantId: string, ticketId: string): Promise<string | null> {
  const row = await db
    .selectFrom('tickets')
    .select([
      'subject',
      (eb) =>
        eb
          .selectFrom('ticketMessages')
          .select('body')
          .where('ticketMessages.tenantId', '=', tenantId)
          .where('ticketMessages.ticketId', '=', ticketId)
          .orderBy('ticketMessages.createdAt')
          .orderBy('ticketMessages.id')
          .limit(1)
          .as('body'),
    ])
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
  return row ? `${row.subject}\n${row.body ?? ''}` : null;
}

export async function insertExample(
  db: Db,
  row: {
    tenantId: string;
    id: string;
    ticketId: string;
    text: string;
    oldCategory: string | null;
    newCategory: string;
    actorType: ActorType;
    actorId: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await db.insertInto('classifierExamples').values(row).execute();
}

/** Examples added after `afterId` (UUIDv7 ids grow with time); all of them when it is null. */
export async function countExamplesAfter(db: Db, tenantId: string, afterId: string | null): Promise<number> {
  let q = db
    .selectFrom('classifierExamples')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenantId', '=', tenantId);
  if (afterId) q = q.where('id', '>', afterId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * The newest `limit` tickets' final corrections: a ticket corrected twice counts once, with the category it
 * ended with. Newest first; `lastId` is the newest example id (what a retrain has seen).
 */
export async function findTrainingExamples(
  db: Db,
  tenantId: string,
  limit: number,
): Promise<{ examples: { text: string; category: string }[]; lastId: string | null }> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('classifierExamples')
        .distinctOn('ticketId')
        .select(['ticketId', 'id', 'text', 'newCategory'])
        .where('tenantId', '=', tenantId)
        .orderBy('ticketId')
        .orderBy('id', 'desc')
        .as('latest'),
    )
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return {
    examples: rows.map((r) => ({ text: r.text, category: r.newCategory })),
    lastId: rows[0]?.id ?? null,
  };
}

export function findLatestTenantModel(db: Db, tenantId: string): Promise<TenantModelRow | undefined> {
  return db
    .selectFrom('classifierTenantModels')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest layer without its weights (for status and the retrain trigger). */
export function findLatestTenantModelInfo(db: Db, tenantId: string) {
  return db
    .selectFrom('classifierTenantModels')
    .select(['version', 'examples', 'lastExampleId', 'metrics', 'trainedAt'])
    .where('tenantId', '=', tenantId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** False when a concurrent retrain stored this version first (the caller's work is then redundant). */
export async function insertTenantModel(
  db: Db,
  row: Omit<TenantModelRow, 'model' | 'metrics'> & {
    model: Record<string, unknown>;
    metrics: Record<string, unknown>;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('classifierTenantModels')
    .values({ ...row, model: JSON.stringify(row.model), metrics: JSON.stringify(row.metrics) })
    .onConflict((oc) => oc.columns(['tenantId', 'version']).doNothing())
    .returning('version')
    .executeTakeFirst();
  if (!r) return false;
  await notifyConfigChange(db, row.tenantId);
  return true;
}
