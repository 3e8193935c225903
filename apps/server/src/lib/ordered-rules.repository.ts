import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/tables.ts';
import { notifyConfigChange } from '../modules/auth/auth-invalidation.ts';

/** Tables of a tenant's ordered rules: evaluated by `position`, first match first. */
export type OrderedRuleTable = 'routingRules' | 'classifierRules';

/** The columns every ordered rule table has, which is all this store reads. */
type RuleSchema = Record<
  OrderedRuleTable,
  { tenantId: string; id: string; position: number; enabled: boolean }
>;

/**
 * The storage every ordered rule list shares (routing rules, classifier override rules): list in evaluation
 * order, read one (optionally locked), the next free position, delete. Writes NOTIFY peakdesk_config in the
 * caller's transaction, so every process drops the tenant's cached configuration. Inserts and updates stay
 * with each table's repository: their columns differ.
 */
export function orderedRuleStore<T extends OrderedRuleTable>(table: T) {
  type Row = Selectable<Database[T]>;
  const on = (db: Kysely<Database>) => db as unknown as Kysely<RuleSchema>;
  // Widened on purpose: Kysely resolves a concrete union of table names, not a type parameter.
  const name: OrderedRuleTable = table;
  const findRules = async (db: Kysely<Database>, tenantId: string, onlyEnabled = false): Promise<Row[]> => {
    let q = on(db).selectFrom(name).selectAll().where('tenantId', '=', tenantId);
    if (onlyEnabled) q = q.where('enabled', '=', true);
    return (await q.orderBy('position').orderBy('id').execute()) as unknown as Row[];
  };
  const findRule = async (
    db: Kysely<Database>,
    tenantId: string,
    id: string,
    forUpdate = false,
  ): Promise<Row | undefined> => {
    let q = on(db).selectFrom(name).selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return (await q.executeTakeFirst()) as unknown as Row | undefined;
  };
  const nextPosition = async (db: Kysely<Database>, tenantId: string): Promise<number> => {
    const row = await on(db)
      .selectFrom(name)
      .select(sql<number>`coalesce(max(position), 0) + 10`.as('next'))
      .where('tenantId', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.next);
  };
  const deleteRule = async (db: Kysely<Database>, tenantId: string, id: string): Promise<boolean> => {
    const r = await on(db)
      .deleteFrom(name)
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    await notifyConfigChange(db, tenantId);
    return r.numDeletedRows > 0n;
  };
  return { findRules, findRule, nextPosition, deleteRule };
}
