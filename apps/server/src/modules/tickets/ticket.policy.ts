import type { ActorType, Role } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { can, ticketScope, type Actor } from '../access/permissions.ts';

/**
 * Who may do what to a ticket, beyond the route's permission. Which tickets an actor sees at all is the
 * TicketScope, applied in SQL by the repository (a ticket outside it is simply not found).
 */

/** A public reply speaks to the customer (tickets:reply); an internal note only to colleagues (tickets:note). */
export function assertMayPostMessage(actor: Actor, visibility: 'public' | 'internal'): void {
  const permission = visibility === 'public' ? 'tickets:reply' : 'tickets:note';
  if (!can(actor, permission)) {
    throw new AppError(
      'FORBIDDEN',
      visibility === 'public'
        ? `The ${actor.role} role may add internal notes but not reply to the customer`
        : `The ${actor.role} role may not add notes`,
    );
  }
}

/**
 * An actor limited to its teams' tickets (outsourced agents) may only hand a ticket to one of those teams:
 * anything else would move it out of their sight, or into a team they have no business routing to.
 */
export function assertMayAssignTeam(actor: Actor, teamId: string | null): void {
  const scope = ticketScope(actor);
  if (scope.kind !== 'teams') return;
  if (teamId === null || !scope.teamIds.includes(teamId)) {
    throw new AppError('FORBIDDEN', 'You may only assign tickets to your own teams', {
      extra: { field: 'teamId' },
    });
  }
}

/** The team a new ticket gets when none is given: an outsourced agent's own (first) team, so it stays visible. */
export function defaultTeamFor(actor: Actor): string | null {
  const scope = ticketScope(actor);
  return scope.kind === 'teams' ? (scope.teamIds[0] ?? null) : null;
}

/** Staff who work tickets; collaborators only help on shared ones and are never assignees. */
export function isAssignableRole(role: Role): boolean {
  return role !== 'collaborator';
}

/** Who history records: the user behind a session or user-bound token, else the token itself. */
export function actorRef(actor: Actor): { actorType: ActorType; actorId: string } {
  return actor.userId
    ? { actorType: 'user', actorId: actor.userId }
    : { actorType: 'token', actorId: actor.id };
}
