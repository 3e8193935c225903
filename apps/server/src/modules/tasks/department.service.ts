import type { Db } from '../../db/database.ts';
import type { DepartmentKind } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findCalendar } from '../sla/sla-config.repository.ts';
import { isUniqueViolation } from '../users/user.service.ts';
import { presentDepartment } from './task.presenter.ts';
import { TaskRepository } from './task.repository.ts';
import { assertStorable } from './task.service.ts';
import type { LastTaskPolicy } from './task-rules.ts';

export interface DepartmentInput {
  name: string;
  kind: DepartmentKind;
  leadId?: string | null;
  memberIds?: string[];
  olaMinutes?: number;
  calendarId?: string | null;
  onLastTaskClosed?: LastTaskPolicy;
  isActive?: boolean;
}

/** Departments that tickets ask for help (admins and supervisors manage them; audited). */
export class DepartmentService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Everyone who works tasks may list departments; collaborators see only their own. */
  async list(actor: Actor) {
    const repo = new TaskRepository(this.db);
    if (actor.role === 'collaborator' && !actor.userId) return { items: [] };
    const rows = await repo.listDepartments(
      actor.tenantId,
      actor.role === 'collaborator' && actor.userId ? { memberId: actor.userId } : {},
    );
    const members = await repo.membersOf(
      actor.tenantId,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => presentDepartment(r, members.get(r.id) ?? [])) };
  }

  async get(actor: Actor, id: string) {
    const repo = new TaskRepository(this.db);
    const row = await repo.findDepartment(actor.tenantId, id);
    if (!row) throw new AppError('DEPARTMENT_NOT_FOUND');
    if (
      actor.role === 'collaborator' &&
      !(actor.userId && (await repo.isMember(actor.tenantId, id, actor.userId)))
    )
      throw new AppError('DEPARTMENT_NOT_FOUND');
    const members = await repo.membersOf(actor.tenantId, [id]);
    return presentDepartment(row, members.get(id) ?? []);
  }

  async create(actor: Actor, input: DepartmentInput, ip: string | null) {
    assertStorable(input);
    return this.db.transaction().execute(async (tx) => {
      const repo = new TaskRepository(tx);
      const now = this.now();
      await this.checkReferences(tx, actor.tenantId, input);
      const id = uuidv7(now.getTime());
      const row = await this.write(input.name, () =>
        repo.insertDepartment({
          tenantId: actor.tenantId,
          id,
          name: input.name.trim(),
          kind: input.kind,
          leadId: input.leadId ?? null,
          calendarId: input.calendarId ?? null,
          ...(input.olaMinutes !== undefined ? { olaMinutes: input.olaMinutes } : {}),
          ...(input.onLastTaskClosed ? { onLastTaskClosed: input.onLastTaskClosed } : {}),
          ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
          createdAt: now,
          updatedAt: now,
        }),
      );
      const memberIds = [...new Set(input.memberIds ?? [])];
      await repo.replaceMembers(actor.tenantId, id, memberIds, now);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'department.created',
        targetType: 'department',
        targetId: id,
        ip,
        details: { name: row.name, kind: row.kind, leadId: row.leadId, memberIds },
      });
      return presentDepartment(row, memberIds.sort());
    });
  }

  async update(actor: Actor, id: string, input: Partial<DepartmentInput>, ip: string | null) {
    assertStorable(input);
    return this.db.transaction().execute(async (tx) => {
      const repo = new TaskRepository(tx);
      const now = this.now();
      if (!(await repo.findDepartment(actor.tenantId, id, { lock: true })))
        throw new AppError('DEPARTMENT_NOT_FOUND');
      await this.checkReferences(tx, actor.tenantId, input);
      const { memberIds, name, ...rest } = input;
      const row = await this.write(name ?? '', () =>
        repo.updateDepartment(actor.tenantId, id, {
          ...rest,
          ...(name !== undefined ? { name: name.trim() } : {}),
          updatedAt: now,
        }),
      );
      if (memberIds) await repo.replaceMembers(actor.tenantId, id, [...new Set(memberIds)], now);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'department.updated',
        targetType: 'department',
        targetId: id,
        ip,
        details: { ...input },
      });
      const members = await repo.membersOf(actor.tenantId, [id]);
      return presentDepartment(row, members.get(id) ?? []);
    });
  }

  private async write<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('NAME_TAKEN', `A department named "${name}" exists`);
      throw error;
    }
  }

  /** The lead and members must be active users of this tenant, the calendar one of its calendars. */
  private async checkReferences(tx: Db, tenantId: string, input: Partial<DepartmentInput>) {
    const repo = new TaskRepository(tx);
    const userIds = [...new Set([...(input.memberIds ?? []), ...(input.leadId ? [input.leadId] : [])])];
    const found = await repo.activeUserIds(tenantId, userIds);
    const missing = userIds.filter((u) => !found.has(u));
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', `No active user ${missing.join(', ')} in this tenant`, {
        extra: { field: input.leadId && missing.includes(input.leadId) ? 'leadId' : 'memberIds' },
      });
    }
    if (input.calendarId && !(await findCalendar(tx, tenantId, input.calendarId)))
      throw new AppError('VALIDATION_FAILED', 'No such business calendar', {
        extra: { field: 'calendarId' },
      });
  }
}
