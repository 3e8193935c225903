import { maskPiiInText } from '../access/masking.ts';
import { seesMaskedPii, type Actor } from '../access/permissions.ts';
import type { DepartmentRow, TaskMessageRow, TaskWithTicket } from './task.repository.ts';
import { taskDueState } from './task-rules.ts';

/** The JSON of departments, tasks and task threads; free text masked for roles that see PII masked. */
export class TaskPresenter {
  private readonly masked: boolean;

  constructor(
    actor: Pick<Actor, 'role'>,
    private readonly now: Date,
  ) {
    this.masked = seesMaskedPii(actor);
  }

  private text(value: string): string {
    return this.masked ? maskPiiInText(value) : value;
  }

  task(row: TaskWithTicket) {
    return {
      id: row.id,
      // Only what a department member needs to know which ticket asks: not the customer or the conversation.
      ticket: {
        id: row.ticketId,
        number: Number(row.ticketNumber),
        subject: this.text(row.ticketSubject),
        status: row.ticketStatus,
      },
      departmentId: row.departmentId,
      title: this.text(row.title),
      description: this.text(row.description),
      status: row.status,
      ownerId: row.ownerId,
      createdBy: row.createdBy,
      dueAt: row.dueAt.toISOString(),
      dueState: taskDueState(
        { status: row.status, dueAt: row.dueAt, escalatedAt: row.escalatedAt },
        this.now,
      ),
      escalatedAt: row.escalatedAt?.toISOString() ?? null,
      closedAt: row.closedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      version: row.version,
    };
  }

  message(row: TaskMessageRow) {
    return {
      id: row.id,
      taskId: row.taskId,
      authorType: row.authorType,
      authorId: row.authorId,
      body: this.text(row.body),
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export function presentDepartment(row: DepartmentRow, memberIds: readonly string[]) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    leadId: row.leadId,
    memberIds: [...memberIds],
    olaMinutes: row.olaMinutes,
    calendarId: row.calendarId,
    onLastTaskClosed: row.onLastTaskClosed,
    isActive: row.isActive,
    updatedAt: row.updatedAt.toISOString(),
  };
}
