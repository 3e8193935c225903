/** The live stream's events, as GET /api/v1/live sends them (apps/server/src/modules/live/live-events.ts). */
export interface LiveTicket {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  number?: number;
  status?: string;
  priority?: string;
  category?: string | null;
}

export const TICKET_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.message',
  'sla.warning',
  'sla.breached',
] as const;
export type TicketEventType = (typeof TICKET_EVENTS)[number];

export type LiveEvent =
  | { type: TicketEventType; tickets: LiveTicket[]; at: string }
  | { type: 'agent.presence'; userId: string; presence: string; at: string };

export const LIVE_EVENT_TYPES = [...TICKET_EVENTS, 'agent.presence'] as const;

/** Reconnect delay after `attempt` failures in a row: 1 s doubling to 30 s, with ±20% jitter. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** How many of a `ticket.created` event's tickets a queue would show (the "N new" badge); pure. */
export function newForQueue(
  event: LiveEvent,
  queue: { view: string; userId: string | null; teamId?: string | undefined },
): number {
  if (event.type !== 'ticket.created') return 0;
  return event.tickets.filter((t) => {
    switch (queue.view) {
      case 'mine':
        return queue.userId !== null && t.assigneeId === queue.userId;
      case 'team':
        return queue.teamId !== undefined && t.teamId === queue.teamId;
      case 'unassigned':
        return t.assigneeId === null;
      case 'breaching':
        return false;
      default:
        return true;
    }
  }).length;
}
