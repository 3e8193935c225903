import { sql, type Kysely, type Selectable } from 'kysely';
import { orderedRuleStore } from '../../lib/ordered-rules.repository.ts';
import { notifyConfigChange } from '../auth/auth-invalidation.ts';
import type { Database, RoutingRulesTable } from '../../db/tables.ts';
import type { RoutingRule } from './rule-engine.ts';

/** Storage of routing rules; every query is keyed by tenant. */
type Db = Kysely<Database>;
export type RuleRow = Selectable<RoutingRulesTable>;

const store = orderedRuleStore('routingRules');
export const { findRules, findRule, nextPosition, deleteRule } = store;

export function toRule(row: RuleRow): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    stopProcessing: row.stopProcessing,
    conditions: row.conditions,
    actions: row.actions,
  };
}

export async function insertRule(
  db: Db,
  row: Omit<RuleRow, 'createdAt' | 'updatedAt' | 'version'>,
  now: Date,
) {
  await db
    .insertInto('routingRules')
    .values({
      ...row,
      conditions: JSON.stringify(row.conditions),
      actions: JSON.stringify(row.actions),
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await notifyConfigChange(db, row.tenantId);
}

/** Compare-and-set on `version`: false when the rule changed since it was read. */
export async function updateRule(
  db: Db,
  tenantId: string,
  id: string,
  version: number,
  patch: Partial<
    Pick<RuleRow, 'name' | 'position' | 'enabled' | 'stopProcessing' | 'conditions' | 'actions'>
  >,
  now: Date,
): Promise<boolean> {
  const { conditions, actions, ...rest } = patch;
  const r = await db
    .updateTable('routingRules')
    .set({
      ...rest,
      ...(conditions !== undefined ? { conditions: JSON.stringify(conditions) } : {}),
      ...(actions !== undefined ? { actions: JSON.stringify(actions) } : {}),
      version: sql`version + 1`,
      updatedAt: now,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  await notifyConfigChange(db, tenantId);
  return r.numUpdatedRows > 0n;
}

/** Which of these ids exist in the tenant, per kind: actions may only name the tenant's own things. */
export async function existingTargets(
  db: Db,
  tenantId: string,
  ids: { teamIds: string[]; userIds: string[]; policyIds: string[] },
): Promise<Set<string>> {
  const found = new Set<string>();
  if (ids.teamIds.length) {
    const rows = await db
      .selectFrom('teams')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids.teamIds)
      .execute();
    for (const r of rows) found.add(r.id);
  }
  if (ids.userIds.length) {
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids.userIds)
      .execute();
    for (const r of rows) found.add(r.id);
  }
  if (ids.policyIds.length) {
    const rows = await db
      .selectFrom('slaPolicies')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids.policyIds)
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
