import type { Kysely } from 'kysely';
import type { Database, Department, Presence, Role } from '../../db/tables.ts';
import { notifyAuthChange } from '../auth/auth-invalidation.ts';

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
  await insertUsers(db, [user]);
}

// Twelve columns a row: 1,000 rows stay far below PostgreSQL's 65,535 bind parameters.
const CHUNK = 1000;

/** Multi-row insert of users with their login-directory entries; pass a transaction. */
export async function insertUsers(db: Kysely<Database>, users: NewUser[], now = new Date()): Promise<void> {
  for (let i = 0; i < users.length; i += CHUNK) {
    const chunk = users.slice(i, i + CHUNK);
    await db
      .insertInto('users')
      .values(chunk.map((u) => ({ ...u, expiresAt: u.expiresAt ?? null, createdAt: now, updatedAt: now })))
      .execute();
    await db
      .insertInto('loginDirectory')
      .values(chunk.map((u) => ({ email: u.email, tenantId: u.tenantId, userId: u.id })))
      .execute();
  }
}

export type UserRow = Awaited<ReturnType<typeof findUser>> & object;

/** What a user looks like to the API (never the password hash). */
const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'department',
  'capacity',
  'presence',
  'isActive',
  'expiresAt',
  'deactivatedAt',
  'lastLoginAt',
  'createdAt',
  'updatedAt',
] as const;

export function findUser(db: Kysely<Database>, tenantId: string, id: string, forUpdate = false) {
  let q = db.selectFrom('users').select(USER_COLUMNS).where('tenantId', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface UserFilter {
  role?: Role;
  teamId?: string;
  isActive?: boolean;
  /** Prefix of the name or the email, case-insensitive. */
  q?: string;
  after?: string;
  limit: number;
}

/** Users in id (creation) order; returns up to `limit + 1` rows so the caller can tell if more follow. */
export function findUsers(db: Kysely<Database>, tenantId: string, filter: UserFilter) {
  let q = db.selectFrom('users').select(USER_COLUMNS).where('tenantId', '=', tenantId);
  if (filter.role) q = q.where('role', '=', filter.role);
  if (filter.isActive !== undefined) q = q.where('isActive', '=', filter.isActive);
  if (filter.teamId) {
    const teamId = filter.teamId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('teamMembers')
          .select('teamMembers.userId')
          .where('teamMembers.tenantId', '=', tenantId)
          .where('teamMembers.teamId', '=', teamId)
          .whereRef('teamMembers.userId', '=', 'users.id'),
      ),
    );
  }
  if (filter.q) {
    const prefix = `${escapeLike(filter.q.toLowerCase())}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', prefix), eb('email', 'like', prefix)]));
  }
  if (filter.after) q = q.where('id', '>', filter.after);
  return q
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function findTeamsOf(db: Kysely<Database>, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('teamMembers')
    .innerJoin('teams', (join) =>
      join.onRef('teams.tenantId', '=', 'teamMembers.tenantId').onRef('teams.id', '=', 'teamMembers.teamId'),
    )
    .select(['teamMembers.userId', 'teams.id', 'teams.name'])
    .where('teamMembers.tenantId', '=', tenantId)
    .where('teamMembers.userId', 'in', userIds)
    .orderBy('teams.name')
    .execute();
}

export function findSkillsOf(db: Kysely<Database>, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('userSkills')
    .innerJoin('skills', (join) =>
      join.onRef('skills.tenantId', '=', 'userSkills.tenantId').onRef('skills.id', '=', 'userSkills.skillId'),
    )
    .select(['userSkills.userId', 'skills.id', 'skills.code', 'userSkills.level'])
    .where('userSkills.tenantId', '=', tenantId)
    .where('userSkills.userId', 'in', userIds)
    .orderBy('skills.code')
    .execute();
}

export interface UserPatch {
  email?: string;
  name?: string;
  role?: Role;
  department?: Department | null;
  capacity?: number;
  presence?: Presence;
  expiresAt?: Date | null;
  passwordHash?: string;
  isActive?: boolean;
  deactivatedAt?: Date | null;
}

export async function updateUser(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  patch: UserPatch,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...patch, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
  // Role, department, expiry and activity are part of every cached principal of the user.
  await notifyAuthChange(db, tenantId, id);
}

/** Moves the login-directory entry to a new email (an inactive user has none, and gets none). */
export async function moveLoginEmail(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  email: string,
): Promise<void> {
  await db
    .updateTable('loginDirectory')
    .set({ email })
    .where('tenantId', '=', tenantId)
    .where('userId', '=', userId)
    .execute();
}

export async function restoreLogin(
  db: Kysely<Database>,
  tenantId: string,
  user: { id: string; email: string },
): Promise<void> {
  await db
    .insertInto('loginDirectory')
    .values({ email: user.email, tenantId, userId: user.id })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Ends every way the users can act, at once: the login-directory entry (login fails fast), their sessions
 * and the API tokens acting for them. Pass the transaction that deactivates them.
 */
export async function revokeAccess(
  db: Kysely<Database>,
  tenantId: string,
  userIds: string[],
  now: Date,
): Promise<{ sessions: number; tokens: number }> {
  if (userIds.length === 0) return { sessions: 0, tokens: 0 };
  await db
    .deleteFrom('loginDirectory')
    .where('tenantId', '=', tenantId)
    .where('userId', 'in', userIds)
    .execute();
  const sessions = await db
    .deleteFrom('sessions')
    .where('tenantId', '=', tenantId)
    .where('userId', 'in', userIds)
    .executeTakeFirst();
  const tokens = await db
    .updateTable('apiTokens')
    .set({ revokedAt: now })
    .where('tenantId', '=', tenantId)
    .where('userId', 'in', userIds)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  await notifyAuthChange(db, tenantId, userIds);
  return { sessions: Number(sessions.numDeletedRows), tokens: Number(tokens.numUpdatedRows) };
}

/** A token carries the role it was made with, so a user's tokens must go when the user's role changes. */
export async function revokeTokensOf(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('apiTokens')
    .set({ revokedAt: now })
    .where('tenantId', '=', tenantId)
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  await notifyAuthChange(db, tenantId, userId);
  return Number(result.numUpdatedRows);
}

export async function deleteSessionsOf(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
): Promise<void> {
  await db.deleteFrom('sessions').where('tenantId', '=', tenantId).where('userId', '=', userId).execute();
  await notifyAuthChange(db, tenantId, userId);
}

export async function replaceUserSkills(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  skills: Array<{ skillId: string; level: number }>,
): Promise<void> {
  await db.deleteFrom('userSkills').where('tenantId', '=', tenantId).where('userId', '=', userId).execute();
  if (skills.length === 0) return;
  await db
    .insertInto('userSkills')
    .values(skills.map((s) => ({ tenantId, userId, skillId: s.skillId, level: s.level })))
    .execute();
}

export async function insertMemberships(
  db: Kysely<Database>,
  rows: Array<{ tenantId: string; teamId: string; userId: string }>,
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK * 5) {
    await db
      .insertInto('teamMembers')
      .values(rows.slice(i, i + CHUNK * 5).map((r) => ({ ...r, createdAt: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function insertUserSkills(
  db: Kysely<Database>,
  rows: Array<{ tenantId: string; userId: string; skillId: string; level: number }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK * 5) {
    await db
      .insertInto('userSkills')
      .values(rows.slice(i, i + CHUNK * 5))
      .execute();
  }
}

export async function findTakenEmails(
  db: Kysely<Database>,
  tenantId: string,
  emails: string[],
): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('tenantId', '=', tenantId)
    .where('email', 'in', emails)
    .execute();
  return new Set(rows.map((r) => r.email));
}

export function findTeamsByIds(db: Kysely<Database>, tenantId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

export function findSkillsByIds(db: Kysely<Database>, tenantId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('skills')
    .select(['id', 'code'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

/** Every active team and skill of a tenant, for resolving names and codes in an import. */
export async function findDirectoryLookups(db: Kysely<Database>, tenantId: string) {
  const [teams, skills] = await Promise.all([
    db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('tenantId', '=', tenantId)
      .where('isActive', '=', true)
      .execute(),
    db
      .selectFrom('skills')
      .select(['id', 'code'])
      .where('tenantId', '=', tenantId)
      .where('isActive', '=', true)
      .execute(),
  ]);
  return { teams, skills };
}
