import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { escapeLike } from '../users/user.repository.ts';
import { notifyAuthChange } from '../auth/auth-invalidation.ts';

const TEAM_COLUMNS = ['id', 'name', 'description', 'isActive', 'createdAt', 'updatedAt'] as const;

function memberCount() {
  return sql<number>`(SELECT count(*)::int FROM team_members tm
    WHERE tm.tenant_id = teams.tenant_id AND tm.team_id = teams.id)`;
}

export async function insertTeam(
  db: Kysely<Database>,
  team: { tenantId: string; id: string; name: string; description: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('teams')
    .values({ ...team, createdAt: now, updatedAt: now })
    .execute();
}

export function findTeam(db: Kysely<Database>, tenantId: string, id: string, forUpdate = false) {
  let q = db
    .selectFrom('teams')
    .select([...TEAM_COLUMNS, memberCount().as('memberCount')])
    .where('tenantId', '=', tenantId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findTeams(
  db: Kysely<Database>,
  tenantId: string,
  filter: { isActive?: boolean; q?: string; after?: string; limit: number },
) {
  let q = db
    .selectFrom('teams')
    .select([...TEAM_COLUMNS, memberCount().as('memberCount')])
    .where('tenantId', '=', tenantId);
  if (filter.isActive !== undefined) q = q.where('isActive', '=', filter.isActive);
  if (filter.q) q = q.where(sql<string>`lower(name)`, 'like', `${escapeLike(filter.q.toLowerCase())}%`);
  if (filter.after) q = q.where('id', '>', filter.after);
  return q
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export async function updateTeam(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  patch: { name?: string; description?: string; isActive?: boolean },
  now: Date,
): Promise<void> {
  await db
    .updateTable('teams')
    .set({ ...patch, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export function findMembers(db: Kysely<Database>, tenantId: string, teamId: string) {
  return db
    .selectFrom('teamMembers')
    .innerJoin('users', (join) =>
      join.onRef('users.tenantId', '=', 'teamMembers.tenantId').onRef('users.id', '=', 'teamMembers.userId'),
    )
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.isActive'])
    .where('teamMembers.tenantId', '=', tenantId)
    .where('teamMembers.teamId', '=', teamId)
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
}

export async function countUsers(db: Kysely<Database>, tenantId: string, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tenantId', '=', tenantId)
    .where('id', 'in', userIds)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Replaces the member list; returns who was added and who removed. */
export async function replaceMembers(
  db: Kysely<Database>,
  tenantId: string,
  teamId: string,
  userIds: string[],
  now: Date,
): Promise<{ added: string[]; removed: string[] }> {
  const current = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('tenantId', '=', tenantId)
    .where('teamId', '=', teamId)
    .execute();
  const before = new Set(current.map((m) => m.userId));
  const after = new Set(userIds);
  const added = userIds.filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.has(id));
  if (removed.length) {
    await db
      .deleteFrom('teamMembers')
      .where('tenantId', '=', tenantId)
      .where('teamId', '=', teamId)
      .where('userId', 'in', removed)
      .execute();
  }
  if (added.length) {
    await db
      .insertInto('teamMembers')
      .values(added.map((userId) => ({ tenantId, teamId, userId, createdAt: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // Team scope is part of each member's cached principal (an outsourced agent sees only its teams' tickets).
  await notifyAuthChange(db, tenantId, [...added, ...removed]);
  return { added, removed };
}

export async function removeMember(
  db: Kysely<Database>,
  tenantId: string,
  teamId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('teamMembers')
    .where('tenantId', '=', tenantId)
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  await notifyAuthChange(db, tenantId, userId);
  return Number(result.numDeletedRows) > 0;
}
