import type { Actor } from '../access/permissions.ts';

/**
 * What the live stream says about a ticket. Deliberately no subject, body or customer data: nothing here
 * needs masking, and a client that wants more refetches through the API, which applies scope and masking.
 */
export interface LiveTicket {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  number?: number;
  status?: string;
  priority?: string;
  category?: string | null;
}

export type LiveTicketEventType =
  'ticket.created' | 'ticket.updated' | 'ticket.message' | 'sla.warning' | 'sla.breached';

export type LiveEvent =
  | { type: LiveTicketEventType; tickets: LiveTicket[]; at: string }
  | { type: 'agent.presence'; userId: string; presence: string; at: string };

/** Publishes an event to every node's streams of the tenant; fire and forget, after the commit. */
export interface LivePublisher {
  publish(tenantId: string, event: LiveEvent): void;
}

/** Builds a ticket event stamped now (a helper, so every publisher spells the shape once). */
export function ticketEvent(type: LiveTicketEventType, tickets: LiveTicket[], now = new Date()): LiveEvent {
  return { type, tickets, at: now.toISOString() };
}

/** The fields of a ticket record (or its JSON view) that the stream carries. */
export function liveTicketOf(t: {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  /** A bigint column reads as a string; the JSON view has a number. */
  number?: number | string;
  status?: string;
  priority?: string;
  category?: string | null;
}): LiveTicket {
  return {
    id: t.id,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    number: t.number === undefined ? undefined : Number(t.number),
    status: t.status,
    priority: t.priority,
    category: t.category,
  };
}

/**
 * The part of an event a connection may see, or null: the same rule as the ticket API's scope. Outsourced
 * agents see their teams' tickets only; collaborators see tickets shared with their department, which the
 * event does not carry, so they get no ticket events (their views refetch); presence goes to staff only.
 */
export function visibleTo(actor: Pick<Actor, 'role' | 'teamIds'>, event: LiveEvent): LiveEvent | null {
  if (actor.role === 'collaborator') return null;
  if (event.type === 'agent.presence') return actor.role === 'integration' ? null : event;
  if (actor.role !== 'outsourced_agent') return event;
  const teams = new Set(actor.teamIds);
  const tickets = event.tickets.filter((t) => t.teamId !== null && teams.has(t.teamId));
  if (!tickets.length) return null;
  return tickets.length === event.tickets.length ? event : { ...event, tickets };
}
