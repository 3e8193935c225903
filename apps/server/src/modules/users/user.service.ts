import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, Department, Presence, Role } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/secrets.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { assertCanManageUser, assertDepartmentFits, assertNotSelf } from './user.policy.ts';
import { presentUser, type UserView } from './user.presenter.ts';
import {
  deleteSessionsOf,
  findSkillsByIds,
  findTakenEmails,
  findSkillsOf,
  findTeamsByIds,
  findTeamsOf,
  findUser,
  findUsers,
  insertMemberships,
  insertUser,
  insertUserSkills,
  moveLoginEmail,
  replaceUserSkills,
  restoreLogin,
  revokeAccess,
  revokeTokensOf,
  updateUser,
  type UserFilter,
  type UserPatch,
} from './user.repository.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  department?: Department | null;
  password?: string;
  capacity?: number;
  expiresAt?: Date | null;
  teamIds?: string[];
  skills?: SkillLevel[];
}

export interface UpdateUserInput {
  email?: string;
  name?: string;
  role?: Role;
  department?: Department | null;
  capacity?: number;
  expiresAt?: Date | null;
}

export interface SkillLevel {
  skillId: string;
  level: number;
}

export const MIN_PASSWORD_LENGTH = 8;

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** Users of a tenant: accounts, roles, passwords, activation, skills. Every change is audited in its transaction. */
export class UserService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async view(db: Kysely<Database>, tenantId: string, id: string): Promise<UserView> {
    const user = await findUser(db, tenantId, id);
    if (!user) throw new AppError('USER_NOT_FOUND');
    const [teams, skills] = await Promise.all([
      findTeamsOf(db, tenantId, [id]),
      findSkillsOf(db, tenantId, [id]),
    ]);
    return presentUser(user, teams, skills);
  }

  get(actor: Actor, id: string): Promise<UserView> {
    return this.view(this.db, actor.tenantId, id);
  }

  me(actor: Actor): Promise<UserView> {
    if (!actor.userId) throw new AppError('FORBIDDEN', 'This API token acts for no user');
    return this.view(this.db, actor.tenantId, actor.userId);
  }

  /** A supervisor (or admin) sets an agent's presence, e.g. marks a temp who left as offline; audited. */
  async setPresenceOf(actor: Actor, id: string, presence: Presence, ip: string): Promise<UserView> {
    return this.db.transaction().execute(async (tx) => {
      const user = await findUser(tx, actor.tenantId, id, true);
      if (!user) throw new AppError('USER_NOT_FOUND');
      assertCanManageUser(actor, user.role, user.role);
      await updateUser(tx, actor.tenantId, id, { presence }, this.now());
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'user.presence_set',
        targetType: 'user',
        targetId: id,
        ip,
        details: { presence },
      });
      return this.view(tx, actor.tenantId, id);
    });
  }

  async list(
    actor: Actor,
    filter: Omit<UserFilter, 'after'> & { cursor?: string },
  ): Promise<{ items: UserView[]; nextCursor: string | null }> {
    const rows = await findUsers(this.db, actor.tenantId, { ...filter, after: parseIdCursor(filter.cursor) });
    const page = pageOf(rows, filter.limit);
    const ids = page.items.map((u) => u.id);
    const [teams, skills] = await Promise.all([
      findTeamsOf(this.db, actor.tenantId, ids),
      findSkillsOf(this.db, actor.tenantId, ids),
    ]);
    return {
      items: page.items.map((u) =>
        presentUser(
          u,
          teams.filter((t) => t.userId === u.id),
          skills.filter((s) => s.userId === u.id),
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }

  async create(actor: Actor, input: CreateUserInput, ip: string): Promise<UserView> {
    assertCanManageUser(actor, null, input.role);
    const department = input.department ?? null;
    assertDepartmentFits(input.role, department);
    const now = this.now();
    if (input.expiresAt && input.expiresAt <= now) {
      throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future');
    }
    const email = input.email.trim().toLowerCase();
    const teamIds = [...new Set(input.teamIds ?? [])];
    const skills = input.skills ?? [];
    await this.assertReferencesExist(actor.tenantId, teamIds, skills);
    // Checked again by the unique index at insert; this only spares a doomed scrypt.
    if ((await findTakenEmails(this.db, actor.tenantId, [email])).size > 0) {
      throw new AppError('EMAIL_TAKEN', `${email} already has an account`);
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const id = uuidv7();
    try {
      return await this.db.transaction().execute(async (tx) => {
        await insertUser(tx, {
          tenantId: actor.tenantId,
          id,
          email,
          name: input.name.trim(),
          role: input.role,
          department,
          passwordHash,
          ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
          expiresAt: input.expiresAt ?? null,
        });
        await insertMemberships(
          tx,
          teamIds.map((teamId) => ({ tenantId: actor.tenantId, teamId, userId: id })),
          now,
        );
        await insertUserSkills(
          tx,
          skills.map((s) => ({ tenantId: actor.tenantId, userId: id, skillId: s.skillId, level: s.level })),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'user.created',
          targetType: 'user',
          targetId: id,
          ip,
          details: { email, role: input.role, hasPassword: passwordHash !== null },
        });
        return this.view(tx, actor.tenantId, id);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('EMAIL_TAKEN', `${email} already has an account`);
      throw error;
    }
  }

  async update(actor: Actor, id: string, input: UpdateUserInput, ip: string): Promise<UserView> {
    const now = this.now();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const user = await findUser(tx, actor.tenantId, id, true);
        if (!user) throw new AppError('USER_NOT_FOUND');
        const role = input.role ?? user.role;
        assertCanManageUser(actor, user.role, role);
        // Leaving the collaborator role drops the department unless a new one is given, and vice versa.
        const department =
          input.department !== undefined
            ? input.department
            : role === 'collaborator'
              ? user.department
              : null;
        assertDepartmentFits(role, department);
        const patch: UserPatch = {};
        if (input.name !== undefined) patch.name = input.name.trim();
        if (input.email !== undefined) patch.email = input.email.trim().toLowerCase();
        if (input.role !== undefined) patch.role = input.role;
        if (department !== user.department) patch.department = department;
        if (input.capacity !== undefined) patch.capacity = input.capacity;
        if (input.expiresAt !== undefined) patch.expiresAt = input.expiresAt;
        const changed = Object.keys(patch).filter(
          (k) => !sameValue(patch[k as keyof UserPatch], user[k as keyof typeof user]),
        );
        if (changed.length === 0) return this.view(tx, actor.tenantId, id);
        await updateUser(tx, actor.tenantId, id, patch, now);
        if (patch.email !== undefined && patch.email !== user.email) {
          await moveLoginEmail(tx, actor.tenantId, id, patch.email);
        }
        // Tokens keep the role and department they were made with; they must not outlive a change of either.
        const tokensRevoked =
          changed.includes('role') || changed.includes('department')
            ? await revokeTokensOf(tx, actor.tenantId, id, now)
            : 0;
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'user.updated',
          targetType: 'user',
          targetId: id,
          ip,
          details: {
            changes: changed.map((field) => ({
              field,
              before: user[field as keyof typeof user] ?? null,
              after: patch[field as keyof UserPatch] ?? null,
            })),
            ...(tokensRevoked ? { tokensRevoked } : {}),
          },
        });
        return this.view(tx, actor.tenantId, id);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('EMAIL_TAKEN', `${input.email} already has an account`);
      throw error;
    }
  }

  /** Sets a password (for accounts created without one, or a reset); the user's sessions end. */
  async setPassword(actor: Actor, id: string, password: string, ip: string): Promise<void> {
    // Refuse before paying for scrypt (~60 ms of CPU); the transaction checks again under the row lock.
    const target = await findUser(this.db, actor.tenantId, id);
    if (!target) throw new AppError('USER_NOT_FOUND');
    assertCanManageUser(actor, target.role, target.role);
    const passwordHash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      const user = await findUser(tx, actor.tenantId, id, true);
      if (!user) throw new AppError('USER_NOT_FOUND');
      assertCanManageUser(actor, user.role, user.role);
      await updateUser(tx, actor.tenantId, id, { passwordHash }, this.now());
      if (actor.userId !== id) await deleteSessionsOf(tx, actor.tenantId, id);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'user.password_set',
        targetType: 'user',
        targetId: id,
        ip,
      });
    });
  }

  /** Immediate: sessions are deleted and the user's API tokens revoked in the same transaction. */
  async deactivate(actor: Actor, id: string, ip: string): Promise<UserView> {
    assertNotSelf(actor, id);
    const now = this.now();
    return this.db.transaction().execute(async (tx) => {
      const user = await findUser(tx, actor.tenantId, id, true);
      if (!user) throw new AppError('USER_NOT_FOUND');
      assertCanManageUser(actor, user.role, user.role);
      if (!user.isActive) return this.view(tx, actor.tenantId, id);
      await updateUser(tx, actor.tenantId, id, { isActive: false, deactivatedAt: now }, now);
      const revoked = await revokeAccess(tx, actor.tenantId, [id], now);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'user.deactivated',
        targetType: 'user',
        targetId: id,
        ip,
        details: { email: user.email, sessionsEnded: revoked.sessions, tokensRevoked: revoked.tokens },
      });
      return this.view(tx, actor.tenantId, id);
    });
  }

  /** Restores login; revoked API tokens stay revoked. An expired account needs a later expiresAt first. */
  async reactivate(actor: Actor, id: string, ip: string): Promise<UserView> {
    const now = this.now();
    return this.db.transaction().execute(async (tx) => {
      const user = await findUser(tx, actor.tenantId, id, true);
      if (!user) throw new AppError('USER_NOT_FOUND');
      assertCanManageUser(actor, user.role, user.role);
      if (user.isActive) return this.view(tx, actor.tenantId, id);
      if (user.expiresAt && user.expiresAt <= now) {
        throw new AppError(
          'CONFLICT',
          'The account has expired: set a later expiresAt before reactivating it',
        );
      }
      await updateUser(tx, actor.tenantId, id, { isActive: true, deactivatedAt: null }, now);
      await restoreLogin(tx, actor.tenantId, user);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'user.reactivated',
        targetType: 'user',
        targetId: id,
        ip,
        details: { email: user.email },
      });
      return this.view(tx, actor.tenantId, id);
    });
  }

  async setPresence(actor: Actor, presence: Presence): Promise<UserView> {
    if (!actor.userId) throw new AppError('FORBIDDEN', 'This API token acts for no user');
    await updateUser(this.db, actor.tenantId, actor.userId, { presence }, this.now());
    return this.view(this.db, actor.tenantId, actor.userId);
  }

  async setSkills(actor: Actor, id: string, skills: SkillLevel[], ip: string): Promise<UserView> {
    const unique = new Map(skills.map((s) => [s.skillId, s]));
    if (unique.size !== skills.length) throw new AppError('VALIDATION_FAILED', 'A skill is listed twice');
    await this.assertReferencesExist(actor.tenantId, [], skills);
    return this.db.transaction().execute(async (tx) => {
      const user = await findUser(tx, actor.tenantId, id, true);
      if (!user) throw new AppError('USER_NOT_FOUND');
      assertCanManageUser(actor, user.role, user.role);
      await replaceUserSkills(tx, actor.tenantId, id, skills);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'user.skills_set',
        targetType: 'user',
        targetId: id,
        ip,
        details: { skills },
      });
      return this.view(tx, actor.tenantId, id);
    });
  }

  private async assertReferencesExist(tenantId: string, teamIds: string[], skills: SkillLevel[]) {
    const skillIds = [...new Set(skills.map((s) => s.skillId))];
    const [teams, found] = await Promise.all([
      findTeamsByIds(this.db, tenantId, teamIds),
      findSkillsByIds(this.db, tenantId, skillIds),
    ]);
    if (teams.length !== teamIds.length)
      throw new AppError('VALIDATION_FAILED', 'An unknown team id is listed');
    if (found.length !== skillIds.length)
      throw new AppError('VALIDATION_FAILED', 'An unknown skill id is listed');
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
