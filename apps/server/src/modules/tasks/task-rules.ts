import { addBusinessMinutes, ALWAYS_OPEN, type BusinessCalendar } from '../sla/business-calendar.ts';

/**
 * The pure core of department tasks: the internal due time (OLA) of a new task, its state as shown to
 * people, and which status changes are allowed. No I/O and no wall clock: callers pass `now`.
 */

export type TaskStatus = 'open' | 'in_progress' | 'done' | 'cancelled';
export const TASK_STATUSES: readonly TaskStatus[] = ['open', 'in_progress', 'done', 'cancelled'];

/** What closing a ticket's last open task does to the ticket (a department setting). */
export type LastTaskPolicy = 'none' | 'note' | 'reopen';

/**
 * When a new task is due: the requested instant if one is given (the agent knows the customer's deadline),
 * else `olaMinutes` of business time on the department's calendar (24/7 in the tenant's zone without one).
 */
export function computeTaskDueAt(input: {
  now: Date;
  olaMinutes: number;
  calendar: BusinessCalendar | null;
  timeZone: string;
  requestedDueAt?: Date | undefined;
}): Date {
  if (input.requestedDueAt) return input.requestedDueAt;
  return addBusinessMinutes(input.calendar ?? ALWAYS_OPEN(input.timeZone), input.now, input.olaMinutes);
}

export type TaskDueState = 'closed' | 'ok' | 'due_soon' | 'overdue' | 'escalated';

const DUE_SOON_MS = 60 * 60_000;

/** The due state people see: escalated wins over overdue; "due soon" within the last hour. */
export function taskDueState(
  task: { status: TaskStatus; dueAt: Date; escalatedAt: Date | null },
  now: Date,
): TaskDueState {
  if (!isOpenTask(task.status)) return 'closed';
  if (task.escalatedAt) return 'escalated';
  const left = task.dueAt.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= DUE_SOON_MS ? 'due_soon' : 'ok';
}

export function isOpenTask(status: TaskStatus): boolean {
  return status === 'open' || status === 'in_progress';
}

/** done and cancelled are final: more work for a department is a new task with its own clock. */
const ALLOWED: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['open', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export interface TaskChange {
  status: TaskStatus;
  ownerId: string | null;
  closedAt: Date | null;
}

/**
 * The task after a status and/or owner change, or an error reason. Claiming (an owner on an open task) starts
 * the work; handing it back (owner null while in progress) returns it to the queue.
 */
export function applyTaskChange(
  current: { status: TaskStatus; ownerId: string | null; closedAt: Date | null },
  change: { status?: TaskStatus; ownerId?: string | null },
  now: Date,
): TaskChange | { error: string } {
  let status = change.status ?? current.status;
  const ownerId = change.ownerId !== undefined ? change.ownerId : current.ownerId;
  if (!canTransitionTask(current.status, status))
    return { error: `A task cannot go from ${current.status} to ${status}` };
  if (!isOpenTask(current.status) && change.ownerId !== undefined && ownerId !== current.ownerId)
    return { error: `A ${current.status} task cannot change hands` };
  if (change.status === undefined) {
    if (status === 'open' && ownerId && !current.ownerId) status = 'in_progress';
    else if (status === 'in_progress' && !ownerId) status = 'open';
  }
  const closedAt = isOpenTask(status) ? null : (current.closedAt ?? now);
  return { status, ownerId, closedAt };
}

/** Whether closing this task leaves its ticket with no open task (given the ticket's other tasks). */
export function closesLastTask(before: TaskStatus, after: TaskStatus, otherOpenTasks: number): boolean {
  return isOpenTask(before) && !isOpenTask(after) && otherOpenTasks === 0;
}
