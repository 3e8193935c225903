import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { isUniqueViolation } from '../users/user.service.ts';
import { findSkill, findSkills, insertSkill, updateSkill, type SkillKind } from './skill.repository.ts';

export interface SkillView {
  id: string;
  code: string;
  name: string;
  kind: SkillKind;
  isActive: boolean;
  createdAt: string;
}

function present(row: NonNullable<Awaited<ReturnType<typeof findSkill>>>): SkillView {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/** Skills agents have (a category, a language, VIP service), with levels 1–5 set per user. Codes never change. */
export class SkillService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(actor: Actor, id: string): Promise<SkillView> {
    const row = await findSkill(this.db, actor.tenantId, id);
    if (!row) throw new AppError('SKILL_NOT_FOUND');
    return present(row);
  }

  async list(actor: Actor, filter: { kind?: SkillKind; isActive?: boolean; cursor?: string; limit: number }) {
    const rows = await findSkills(this.db, actor.tenantId, {
      ...filter,
      after: parseIdCursor(filter.cursor),
    });
    const page = pageOf(rows, filter.limit);
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  async create(
    actor: Actor,
    input: { code: string; name: string; kind?: SkillKind },
    ip: string,
  ): Promise<SkillView> {
    const id = uuidv7();
    const code = input.code.toLowerCase();
    try {
      return await this.db.transaction().execute(async (tx) => {
        await insertSkill(
          tx,
          { tenantId: actor.tenantId, id, code, name: input.name.trim(), kind: input.kind ?? 'other' },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'skill.created',
          targetType: 'skill',
          targetId: id,
          ip,
          details: { code },
        });
        return present((await findSkill(tx, actor.tenantId, id))!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A skill with code "${code}" exists`);
      throw error;
    }
  }

  async update(
    actor: Actor,
    id: string,
    patch: { name?: string; kind?: SkillKind; isActive?: boolean },
    ip: string,
    action = 'skill.updated',
  ): Promise<SkillView> {
    return this.db.transaction().execute(async (tx) => {
      const before = await findSkill(tx, actor.tenantId, id, true);
      if (!before) throw new AppError('SKILL_NOT_FOUND');
      const clean = { ...patch, ...(patch.name !== undefined ? { name: patch.name.trim() } : {}) };
      await updateSkill(tx, actor.tenantId, id, clean, this.now());
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action,
        targetType: 'skill',
        targetId: id,
        ip,
        details: { code: before.code, ...clean },
      });
      return present((await findSkill(tx, actor.tenantId, id))!);
    });
  }
}
