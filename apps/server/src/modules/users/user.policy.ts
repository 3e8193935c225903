import type { Role } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { canManageRole, type Actor } from '../access/permissions.ts';

/**
 * Who may change an account: the actor must manage both the role the user has and the role it would get,
 * so a supervisor can neither create nor promote admins or supervisors, nor edit them.
 */
export function assertCanManageUser(actor: Actor, currentRole: Role | null, nextRole: Role): void {
  if (currentRole !== null && !canManageRole(actor, currentRole)) {
    throw new AppError('FORBIDDEN', `A ${actor.role} may not manage ${currentRole} accounts`);
  }
  if (!canManageRole(actor, nextRole)) {
    throw new AppError('FORBIDDEN', `A ${actor.role} may not give the ${nextRole} role`);
  }
}

/** Deactivating yourself would lock you out mid-request; another admin must do it. */
export function assertNotSelf(actor: Actor, userId: string): void {
  if (actor.userId === userId) throw new AppError('FORBIDDEN', 'You may not deactivate your own account');
}

/** A collaborator belongs to a department; no other role takes one (the table checks it too). */
export function assertDepartmentFits(role: Role, department: string | null): void {
  if ((role === 'collaborator') !== (department !== null)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'A collaborator needs a department, and only a collaborator takes one',
    );
  }
}
