import { AppError } from '../../errors.ts';
import { can, ticketScope, type Actor } from '../access/permissions.ts';
import type { TaskScope } from './task.repository.ts';
import type { TaskStatus } from './task-rules.ts';

/**
 * Who sees and works which department tasks, beyond the route's permission. Staff see the tasks of tickets
 * they can see; department members (collaborators above all) see their departments' tasks and nothing else
 * of the ticket than its number, subject and status.
 */
export function taskScope(actor: Actor): TaskScope {
  if (actor.role === 'collaborator') return { tickets: null, memberId: actor.userId };
  return { tickets: ticketScope(actor), memberId: actor.userId };
}

/** Admins and supervisors run every department; a department's own members and lead run its tasks. */
export function mayManageTask(actor: Actor, isMember: boolean): boolean {
  return actor.role === 'admin' || actor.role === 'supervisor' || isMember;
}

/**
 * A change to a task's status or owner. The ticket's side (agents who see the ticket but are not members) may
 * (those who may create tasks) may only cancel a task it no longer needs; the department does the rest.
 */
export function assertMayChangeTask(
  actor: Actor,
  isMember: boolean,
  change: { status?: TaskStatus; ownerId?: string | null },
): void {
  if (mayManageTask(actor, isMember)) return;
  if (change.status === 'cancelled' && change.ownerId === undefined && can(actor, 'tasks:create')) return;
  throw new AppError('FORBIDDEN', 'Only the department’s members work this task; you may cancel it');
}

/** Claiming means taking the task yourself: only a member or the lead of its department. */
export function assertMayClaim(actor: Actor, isMember: boolean): string {
  if (!actor.userId || !isMember)
    throw new AppError('FORBIDDEN', 'Only a member of the task’s department may claim it');
  return actor.userId;
}
