import type { Kysely } from 'kysely';
import type { Database, SkillsTable } from '../../db/tables.ts';

export type SkillKind = SkillsTable['kind'] extends { __select__: infer K } ? K : never;

const COLUMNS = ['id', 'code', 'name', 'kind', 'isActive', 'createdAt'] as const;

export async function insertSkill(
  db: Kysely<Database>,
  skill: { tenantId: string; id: string; code: string; name: string; kind: SkillKind },
  now: Date,
): Promise<void> {
  await db
    .insertInto('skills')
    .values({ ...skill, createdAt: now, updatedAt: now })
    .execute();
}

export function findSkill(db: Kysely<Database>, tenantId: string, id: string, forUpdate = false) {
  let q = db.selectFrom('skills').select(COLUMNS).where('tenantId', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findSkills(
  db: Kysely<Database>,
  tenantId: string,
  filter: { kind?: SkillKind; isActive?: boolean; after?: string; limit: number },
) {
  let q = db.selectFrom('skills').select(COLUMNS).where('tenantId', '=', tenantId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.isActive !== undefined) q = q.where('isActive', '=', filter.isActive);
  if (filter.after) q = q.where('id', '>', filter.after);
  return q
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export async function updateSkill(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  patch: { name?: string; kind?: SkillKind; isActive?: boolean },
  now: Date,
): Promise<void> {
  await db
    .updateTable('skills')
    .set({ ...patch, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
