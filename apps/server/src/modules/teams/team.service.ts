import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, Role } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { isUniqueViolation } from '../users/user.service.ts';
import {
  countUsers,
  findMembers,
  findTeam,
  findTeams,
  insertTeam,
  removeMember,
  replaceMembers,
  updateTeam,
} from './team.repository.ts';

export interface TeamSummary {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  memberCount: number;
  createdAt: string;
}

export interface TeamView extends TeamSummary {
  members: Array<{ id: string; name: string; email: string; role: Role; isActive: boolean }>;
}

function summary(row: NonNullable<Awaited<ReturnType<typeof findTeam>>>): TeamSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isActive: row.isActive,
    memberCount: Number(row.memberCount),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Teams (groups of agents) and their members. Names are unique per tenant, ignoring case. */
export class TeamService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async view(db: Kysely<Database>, tenantId: string, id: string): Promise<TeamView> {
    const team = await findTeam(db, tenantId, id);
    if (!team) throw new AppError('TEAM_NOT_FOUND');
    return { ...summary(team), members: await findMembers(db, tenantId, id) };
  }

  get(actor: Actor, id: string): Promise<TeamView> {
    return this.view(this.db, actor.tenantId, id);
  }

  async list(actor: Actor, filter: { isActive?: boolean; q?: string; cursor?: string; limit: number }) {
    const rows = await findTeams(this.db, actor.tenantId, { ...filter, after: parseIdCursor(filter.cursor) });
    const page = pageOf(rows, filter.limit);
    return { items: page.items.map(summary), nextCursor: page.nextCursor };
  }

  async create(actor: Actor, input: { name: string; description?: string }, ip: string): Promise<TeamView> {
    const id = uuidv7();
    const name = input.name.trim();
    return this.nameGuard(name, () =>
      this.db.transaction().execute(async (tx) => {
        await insertTeam(
          tx,
          { tenantId: actor.tenantId, id, name, description: input.description ?? '' },
          this.now(),
        );
        await this.audit(tx, actor, 'team.created', id, ip, { name });
        return this.view(tx, actor.tenantId, id);
      }),
    );
  }

  async update(
    actor: Actor,
    id: string,
    input: { name?: string; description?: string },
    ip: string,
  ): Promise<TeamView> {
    const name = input.name?.trim();
    return this.nameGuard(name ?? '', () =>
      this.db.transaction().execute(async (tx) => {
        const team = await findTeam(tx, actor.tenantId, id, true);
        if (!team) throw new AppError('TEAM_NOT_FOUND');
        const patch = {
          ...(name !== undefined ? { name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
        };
        await updateTeam(tx, actor.tenantId, id, patch, this.now());
        await this.audit(tx, actor, 'team.updated', id, ip, {
          before: { name: team.name, description: team.description },
          after: patch,
        });
        return this.view(tx, actor.tenantId, id);
      }),
    );
  }

  /** Members stay (they are history and ticket scope); an inactive team is offered for no new work. */
  async setActive(actor: Actor, id: string, isActive: boolean, ip: string): Promise<TeamView> {
    return this.db.transaction().execute(async (tx) => {
      const team = await findTeam(tx, actor.tenantId, id, true);
      if (!team) throw new AppError('TEAM_NOT_FOUND');
      if (team.isActive !== isActive) {
        await updateTeam(tx, actor.tenantId, id, { isActive }, this.now());
        await this.audit(tx, actor, isActive ? 'team.reactivated' : 'team.deactivated', id, ip, {});
      }
      return this.view(tx, actor.tenantId, id);
    });
  }

  async setMembers(actor: Actor, id: string, userIds: string[], ip: string): Promise<TeamView> {
    const unique = [...new Set(userIds)];
    return this.db.transaction().execute(async (tx) => {
      // The team row lock serialises concurrent replacements of one team's members.
      const team = await findTeam(tx, actor.tenantId, id, true);
      if (!team) throw new AppError('TEAM_NOT_FOUND');
      if ((await countUsers(tx, actor.tenantId, unique)) !== unique.length) {
        throw new AppError('VALIDATION_FAILED', 'An unknown user id is listed');
      }
      const change = await replaceMembers(tx, actor.tenantId, id, unique, this.now());
      if (change.added.length || change.removed.length) {
        await this.audit(tx, actor, 'team.members_set', id, ip, change);
      }
      return this.view(tx, actor.tenantId, id);
    });
  }

  async addMember(actor: Actor, id: string, userId: string, ip: string): Promise<TeamView> {
    return this.db.transaction().execute(async (tx) => {
      const team = await findTeam(tx, actor.tenantId, id, true);
      if (!team) throw new AppError('TEAM_NOT_FOUND');
      if ((await countUsers(tx, actor.tenantId, [userId])) !== 1) throw new AppError('USER_NOT_FOUND');
      const members = await findMembers(tx, actor.tenantId, id);
      if (!members.some((m) => m.id === userId)) {
        await replaceMembers(tx, actor.tenantId, id, [...members.map((m) => m.id), userId], this.now());
        await this.audit(tx, actor, 'team.member_added', id, ip, { userId });
      }
      return this.view(tx, actor.tenantId, id);
    });
  }

  async removeMember(actor: Actor, id: string, userId: string, ip: string): Promise<TeamView> {
    return this.db.transaction().execute(async (tx) => {
      const team = await findTeam(tx, actor.tenantId, id, true);
      if (!team) throw new AppError('TEAM_NOT_FOUND');
      if (await removeMember(tx, actor.tenantId, id, userId)) {
        await this.audit(tx, actor, 'team.member_removed', id, ip, { userId });
      }
      return this.view(tx, actor.tenantId, id);
    });
  }

  private async nameGuard<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('NAME_TAKEN', `A team named "${name}" exists`);
      throw error;
    }
  }

  private audit(
    tx: Kysely<Database>,
    actor: Actor,
    action: string,
    id: string,
    ip: string,
    details: Record<string, unknown>,
  ) {
    return recordAudit(tx, {
      tenantId: actor.tenantId,
      actor,
      action,
      targetType: 'team',
      targetId: id,
      ip,
      details,
    });
  }
}
