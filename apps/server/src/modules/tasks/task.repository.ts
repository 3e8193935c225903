import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, DepartmentsTable, TaskMessagesTable, TasksTable } from '../../db/tables.ts';
import type { TicketScope } from '../access/permissions.ts';
import { inScope } from '../tickets/ticket-scope.sql.ts';
import type { TaskStatus } from './task-rules.ts';

export type DepartmentRow = Selectable<DepartmentsTable>;
export type TaskRow = Selectable<TasksTable>;
export type TaskMessageRow = Selectable<TaskMessagesTable>;

/**
 * Which tasks an actor sees: those of tickets in `tickets` (null: none by ticket), or of departments that
 * `memberId` belongs to or leads. Collaborators see only the latter, whatever tickets are shared with them.
 */
export interface TaskScope {
  tickets: TicketScope | null;
  memberId: string | null;
}

/** The task columns plus the ticket's number, subject and status (what a department member may see of it). */
export type TaskWithTicket = TaskRow & { ticketNumber: string; ticketSubject: string; ticketStatus: string };

function visible(scope: TaskScope) {
  return (eb: ExpressionBuilder<Database, 'tasks' | 'tickets'>): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [];
    if (scope.tickets) ors.push(inScope(scope.tickets)(eb));
    if (scope.memberId) ors.push(memberOf(eb, scope.memberId));
    return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
  };
}

function memberOf(eb: ExpressionBuilder<Database, 'tasks' | 'tickets'>, userId: string): Expression<SqlBool> {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('departmentMembers as m')
        .select(sql<number>`1`.as('one'))
        .whereRef('m.tenantId', '=', 'tasks.tenantId')
        .whereRef('m.departmentId', '=', 'tasks.departmentId')
        .where('m.userId', '=', userId),
    ),
    eb.exists(
      eb
        .selectFrom('departments as d')
        .select(sql<number>`1`.as('one'))
        .whereRef('d.tenantId', '=', 'tasks.tenantId')
        .whereRef('d.id', '=', 'tasks.departmentId')
        .where('d.leadId', '=', userId),
    ),
  ]);
}

export interface TaskQueueFilter {
  departmentId?: string | undefined;
  statuses?: readonly TaskStatus[] | undefined;
  ownerId?: string | undefined;
  ticketId?: string | undefined;
  escalated?: boolean | undefined;
  /** Keyset: the last id of the previous page (newest first). */
  before?: string | undefined;
  limit: number;
}

/** Storage of departments, tasks and task threads; every query is keyed by tenant. */
export class TaskRepository {
  constructor(private readonly db: Db) {}

  // ---- departments ----

  listDepartments(tenantId: string, options: { memberId?: string } = {}): Promise<DepartmentRow[]> {
    let q = this.db.selectFrom('departments').selectAll().where('tenantId', '=', tenantId);
    if (options.memberId) {
      const userId = options.memberId;
      q = q.where((eb) =>
        eb.or([
          eb('leadId', '=', userId),
          eb.exists(
            eb
              .selectFrom('departmentMembers as m')
              .select(sql<number>`1`.as('one'))
              .whereRef('m.tenantId', '=', 'departments.tenantId')
              .whereRef('m.departmentId', '=', 'departments.id')
              .where('m.userId', '=', userId),
          ),
        ]),
      );
    }
    return q.orderBy('name').orderBy('id').execute();
  }

  findDepartment(tenantId: string, id: string, options: { lock?: boolean } = {}) {
    let q = this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id);
    if (options.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async insertDepartment(row: Insertable<DepartmentsTable>): Promise<DepartmentRow> {
    return this.db.insertInto('departments').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async updateDepartment(tenantId: string, id: string, set: Partial<Insertable<DepartmentsTable>>) {
    return this.db
      .updateTable('departments')
      .set(set)
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async membersOf(tenantId: string, departmentIds: readonly string[]): Promise<Map<string, string[]>> {
    const byDepartment = new Map<string, string[]>(departmentIds.map((id) => [id, []]));
    if (!departmentIds.length) return byDepartment;
    const rows = await this.db
      .selectFrom('departmentMembers')
      .select(['departmentId', 'userId'])
      .where('tenantId', '=', tenantId)
      .where('departmentId', 'in', [...departmentIds])
      .orderBy('userId')
      .execute();
    for (const r of rows) byDepartment.get(r.departmentId)?.push(r.userId);
    return byDepartment;
  }

  async replaceMembers(tenantId: string, departmentId: string, userIds: readonly string[], now: Date) {
    await this.db
      .deleteFrom('departmentMembers')
      .where('tenantId', '=', tenantId)
      .where('departmentId', '=', departmentId)
      .execute();
    if (userIds.length) {
      await this.db
        .insertInto('departmentMembers')
        .values(userIds.map((userId) => ({ tenantId, departmentId, userId, createdAt: now })))
        .execute();
    }
  }

  /** Whether the user belongs to or leads the department. */
  async isMember(tenantId: string, departmentId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('departments as d')
      .select('d.id')
      .where('d.tenantId', '=', tenantId)
      .where('d.id', '=', departmentId)
      .where((eb) =>
        eb.or([
          eb('d.leadId', '=', userId),
          eb.exists(
            eb
              .selectFrom('departmentMembers as m')
              .select(sql<number>`1`.as('one'))
              .whereRef('m.tenantId', '=', 'd.tenantId')
              .whereRef('m.departmentId', '=', 'd.id')
              .where('m.userId', '=', userId),
          ),
        ]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Active users of the tenant among `ids` (a lead or members must exist here and be active). */
  async activeUserIds(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', 'in', [...ids])
      .where('isActive', '=', true)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  // ---- tasks ----

  async insertTask(row: Insertable<TasksTable>): Promise<void> {
    await this.db.insertInto('tasks').values(row).execute();
  }

  private selectTasks() {
    return this.db
      .selectFrom('tasks')
      .innerJoin('tickets', (j) =>
        j.onRef('tickets.tenantId', '=', 'tasks.tenantId').onRef('tickets.id', '=', 'tasks.ticketId'),
      )
      .selectAll('tasks')
      .select([
        'tickets.number as ticketNumber',
        'tickets.subject as ticketSubject',
        'tickets.status as ticketStatus',
      ]);
  }

  /** One task the scope may see; `lock` locks the task row (not the ticket's). */
  async findTask(
    tenantId: string,
    scope: TaskScope,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<TaskWithTicket | undefined> {
    let q = this.selectTasks()
      .where('tasks.tenantId', '=', tenantId)
      .where('tasks.id', '=', id)
      .where(visible(scope));
    if (options.lock) q = q.forUpdate('tasks');
    return q.executeTakeFirst();
  }

  /** Newest first by id; fetches `limit + 1` rows so the caller knows whether a next page exists. */
  listTasks(tenantId: string, scope: TaskScope, filter: TaskQueueFilter): Promise<TaskWithTicket[]> {
    let q = this.selectTasks().where('tasks.tenantId', '=', tenantId).where(visible(scope));
    if (filter.departmentId) q = q.where('tasks.departmentId', '=', filter.departmentId);
    if (filter.statuses?.length) q = q.where('tasks.status', 'in', [...filter.statuses]);
    if (filter.ownerId) q = q.where('tasks.ownerId', '=', filter.ownerId);
    if (filter.ticketId) q = q.where('tasks.ticketId', '=', filter.ticketId);
    if (filter.escalated !== undefined)
      q = q.where('tasks.escalatedAt', filter.escalated ? 'is not' : 'is', null);
    if (filter.before) q = q.where('tasks.id', '<', filter.before);
    return q
      .orderBy('tasks.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
  }

  async updateTask(
    tenantId: string,
    id: string,
    set: { status: TaskStatus; ownerId: string | null; closedAt: Date | null; updatedAt: Date },
  ): Promise<void> {
    await this.db
      .updateTable('tasks')
      .set({ ...set, version: sql`version + 1` })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async countOpenTasks(tenantId: string, ticketId: string, exceptId: string): Promise<number> {
    const row = await this.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where('id', '<>', exceptId)
      .where('status', 'in', ['open', 'in_progress'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The ticket's row lock, taken before a task changes so two tasks closing at once see each other. */
  async lockTicket(tenantId: string, ticketId: string) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'status', 'solvedAt', 'closedAt', 'assigneeId'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', ticketId)
      .forUpdate()
      .executeTakeFirst();
  }

  // ---- thread ----

  async insertMessage(row: Insertable<TaskMessagesTable>): Promise<TaskMessageRow> {
    return this.db.insertInto('taskMessages').values(row).returningAll().executeTakeFirstOrThrow();
  }

  listMessages(tenantId: string, taskId: string, after: string | undefined, limit: number) {
    let q = this.db
      .selectFrom('taskMessages')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('taskId', '=', taskId);
    if (after) q = q.where('id', '>', after);
    return q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  }
}
