import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { parseIdCursor, pageOf } from '../../http/id-cursor.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { findCalendar, findTenantTimeZone } from '../sla/sla-config.repository.ts';
import { actorRef } from '../tickets/ticket.policy.ts';
import { hasUnstorableText } from '../tickets/new-ticket.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';
import { closeLastTaskEffects } from './task-closing.ts';
import { assertMayChangeTask, assertMayClaim, taskScope } from './task.policy.ts';
import { TaskPresenter } from './task.presenter.ts';
import { TaskRepository, type TaskWithTicket } from './task.repository.ts';
import {
  applyTaskChange,
  closesLastTask,
  computeTaskDueAt,
  isOpenTask,
  type TaskStatus,
} from './task-rules.ts';

export interface NewTaskInput {
  departmentId: string;
  title: string;
  description?: string;
  dueAt?: string;
}

export interface TaskQuery {
  departmentId?: string;
  status?: TaskStatus[];
  mine?: boolean;
  escalated?: boolean;
  limit: number;
  cursor?: string;
}

/** Department tasks: created from a ticket, worked by the department, closed with an effect on the ticket. */
export class TaskService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(actor: Actor, ticketId: string, input: NewTaskInput) {
    assertStorable(input);
    return this.db.transaction().execute(async (tx) => {
      const tickets = new TicketRepository(tx);
      const repo = new TaskRepository(tx);
      const now = this.now();
      const ticket = await tickets.findById(actor.tenantId, ticketScope(actor), ticketId, { lock: true });
      if (!ticket) throw new AppError('TICKET_NOT_FOUND');
      const department = await repo.findDepartment(actor.tenantId, input.departmentId);
      if (!department || !department.isActive)
        throw new AppError('DEPARTMENT_NOT_FOUND', 'No active department with this id', {
          extra: { field: 'departmentId' },
        });
      if (ticket.status === 'closed') throw new AppError('CONFLICT', 'The ticket is closed');
      const title = input.title.trim();
      if (!title)
        throw new AppError('VALIDATION_FAILED', 'The title is empty', { extra: { field: 'title' } });
      const requested = input.dueAt ? new Date(input.dueAt) : undefined;
      if (requested && requested.getTime() <= now.getTime())
        throw new AppError('VALIDATION_FAILED', 'dueAt is in the past', { extra: { field: 'dueAt' } });
      const calendarRow = department.calendarId
        ? await findCalendar(tx, actor.tenantId, department.calendarId)
        : undefined;
      const dueAt = computeTaskDueAt({
        now,
        olaMinutes: department.olaMinutes,
        calendar: calendarRow ?? null,
        timeZone: await findTenantTimeZone(tx, actor.tenantId),
        requestedDueAt: requested,
      });
      const id = uuidv7(now.getTime());
      await repo.insertTask({
        tenantId: actor.tenantId,
        id,
        ticketId,
        departmentId: department.id,
        title,
        description: input.description?.trim() ?? '',
        createdBy: actor.userId,
        dueAt,
        createdAt: now,
        updatedAt: now,
      });
      await tickets.insertEvents([
        {
          tenantId: actor.tenantId,
          id: uuidv7(now.getTime()),
          ticketId,
          ...actorRef(actor),
          action: 'task.created',
          changes: JSON.stringify([
            {
              field: 'task',
              before: null,
              after: { id, departmentId: department.id, title, dueAt: dueAt.toISOString() },
            },
          ]),
          createdAt: now,
        },
      ]);
      return this.present(actor, (await repo.findTask(actor.tenantId, taskScope(actor), id))!, now);
    });
  }

  /** A ticket's tasks (the ticket must be visible), oldest first, filtered to the tasks the actor sees. */
  async listForTicket(actor: Actor, ticketId: string) {
    const repo = new TaskRepository(this.db);
    const scope = taskScope(actor);
    const rows = await repo.listTasks(actor.tenantId, scope, { ticketId, limit: 200 });
    // A department member sees its own tasks of a ticket it cannot otherwise see; nothing at all is a 404.
    if (
      !rows.length &&
      !(await new TicketRepository(this.db).findById(actor.tenantId, ticketScope(actor), ticketId))
    )
      throw new AppError('TICKET_NOT_FOUND');
    const now = this.now();
    return {
      items: rows
        .slice(0, 200)
        .reverse()
        .map((r) => this.present(actor, r, now)),
    };
  }

  async list(actor: Actor, query: TaskQuery) {
    const repo = new TaskRepository(this.db);
    if (query.mine && !actor.userId) return { items: [], nextCursor: null };
    const rows = await repo.listTasks(actor.tenantId, taskScope(actor), {
      departmentId: query.departmentId,
      statuses: query.status,
      ownerId: query.mine ? (actor.userId ?? undefined) : undefined,
      escalated: query.escalated,
      before: parseIdCursor(query.cursor),
      limit: query.limit,
    });
    const page = pageOf(rows, query.limit);
    const now = this.now();
    return { items: page.items.map((r) => this.present(actor, r, now)), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string) {
    return this.present(actor, await this.find(this.db, actor, id), this.now());
  }

  /** Status and/or owner. Locks the ticket, then the task, so that the last task to close sees the others. */
  async change(actor: Actor, id: string, change: { status?: TaskStatus; ownerId?: string | null }) {
    return this.db.transaction().execute(async (tx) => {
      const repo = new TaskRepository(tx);
      const now = this.now();
      const seen = await this.find(tx, actor, id);
      await repo.lockTicket(actor.tenantId, seen.ticketId);
      const task = await this.find(tx, actor, id, true);
      const isMember = actor.userId
        ? await repo.isMember(actor.tenantId, task.departmentId, actor.userId)
        : false;
      assertMayChangeTask(actor, isMember, change);
      if (change.ownerId && change.ownerId !== task.ownerId) {
        if (!(await repo.isMember(actor.tenantId, task.departmentId, change.ownerId)))
          throw new AppError('VALIDATION_FAILED', 'The owner must be a member of the task’s department', {
            extra: { field: 'ownerId' },
          });
      }
      return this.apply(tx, actor, task, change, now);
    });
  }

  /** The caller takes the task (a member of its department); an open task starts. */
  async claim(actor: Actor, id: string) {
    return this.db.transaction().execute(async (tx) => {
      const repo = new TaskRepository(tx);
      const task = await this.find(tx, actor, id, true);
      const isMember = actor.userId
        ? await repo.isMember(actor.tenantId, task.departmentId, actor.userId)
        : false;
      const ownerId = assertMayClaim(actor, isMember);
      return this.apply(tx, actor, task, { ownerId }, this.now());
    });
  }

  async addMessage(actor: Actor, id: string, body: string) {
    assertStorable({ body });
    return this.db.transaction().execute(async (tx) => {
      const repo = new TaskRepository(tx);
      const now = this.now();
      const task = await this.find(tx, actor, id, true);
      const text = body.trim();
      if (!text)
        throw new AppError('VALIDATION_FAILED', 'The message is empty', { extra: { field: 'body' } });
      if (!isOpenTask(task.status))
        throw new AppError('TASK_CLOSED', `The task is ${task.status}: open a new task to ask again`);
      const who = actorRef(actor);
      const row = await repo.insertMessage({
        tenantId: actor.tenantId,
        id: uuidv7(now.getTime()),
        taskId: id,
        authorType: who.actorType === 'user' ? 'user' : 'token',
        authorId: who.actorId,
        body: text,
        createdAt: now,
      });
      return new TaskPresenter(actor, now).message(row);
    });
  }

  async listMessages(actor: Actor, id: string, query: { limit: number; cursor?: string }) {
    await this.find(this.db, actor, id);
    const rows = await new TaskRepository(this.db).listMessages(
      actor.tenantId,
      id,
      parseIdCursor(query.cursor),
      query.limit,
    );
    const page = pageOf(rows, query.limit);
    const presenter = new TaskPresenter(actor, this.now());
    return { items: page.items.map((m) => presenter.message(m)), nextCursor: page.nextCursor };
  }

  private async apply(
    tx: Db,
    actor: Actor,
    task: TaskWithTicket,
    change: { status?: TaskStatus; ownerId?: string | null },
    now: Date,
  ) {
    const repo = new TaskRepository(tx);
    const before = task.status;
    const next = applyTaskChange(
      { status: before, ownerId: task.ownerId, closedAt: task.closedAt },
      change,
      now,
    );
    if ('error' in next) throw new AppError('TASK_TRANSITION_INVALID', next.error);
    if (next.status === before && next.ownerId === task.ownerId) return this.present(actor, task, now);
    await repo.updateTask(actor.tenantId, task.id, { ...next, updatedAt: now });
    if (!isOpenTask(next.status) && isOpenTask(before)) {
      await new TicketRepository(tx).insertEvents([
        {
          tenantId: actor.tenantId,
          id: uuidv7(now.getTime()),
          ticketId: task.ticketId,
          ...actorRef(actor),
          action: `task.${next.status}`,
          changes: JSON.stringify([
            {
              field: 'task',
              before: { id: task.id, status: before },
              after: { id: task.id, status: next.status },
            },
          ]),
          createdAt: now,
        },
      ]);
      const others = await repo.countOpenTasks(actor.tenantId, task.ticketId, task.id);
      if (closesLastTask(before, next.status, others)) {
        const department = await repo.findDepartment(actor.tenantId, task.departmentId);
        await closeLastTaskEffects(tx, {
          tenantId: actor.tenantId,
          ticketId: task.ticketId,
          policy: department?.onLastTaskClosed ?? 'note',
          lastTask: { title: task.title, status: next.status, department: department?.name ?? '' },
          now,
        });
      }
    }
    return this.present(actor, await this.find(tx, actor, task.id), now);
  }

  private async find(db: Db, actor: Actor, id: string, lock = false): Promise<TaskWithTicket> {
    const task = await new TaskRepository(db).findTask(actor.tenantId, taskScope(actor), id, { lock });
    if (!task) throw new AppError('TASK_NOT_FOUND');
    return task;
  }

  private present(actor: Actor, row: TaskWithTicket, now: Date) {
    return new TaskPresenter(actor, now).task(row);
  }
}

/** Text PostgreSQL cannot store (NUL, lone surrogates) is a 400 before anything is written. */
export function assertStorable(input: object): void {
  if (hasUnstorableText(input))
    throw new AppError('VALIDATION_FAILED', 'The request contains characters that cannot be stored');
}
