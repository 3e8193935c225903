import type { TicketStatus } from '../../db/tables.ts';

/**
 * Which status changes a PATCH may make. `closed` is final (only a merge closes a ticket into another, and
 * nothing reopens it: a customer who writes again gets a new ticket). Nothing goes back to `new`, which
 * means "no agent has looked at it yet".
 */
const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved', 'closed'],
  open: ['pending', 'on_hold', 'solved', 'closed'],
  pending: ['open', 'on_hold', 'solved', 'closed'],
  on_hold: ['open', 'pending', 'solved', 'closed'],
  solved: ['open', 'pending', 'on_hold', 'closed'],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export function isOpenStatus(status: TicketStatus): boolean {
  return status !== 'solved' && status !== 'closed';
}

export interface StatusTimestamps {
  solvedAt: Date | null;
  closedAt: Date | null;
}

/** solved_at marks the latest solve and is cleared when the ticket reopens; closed_at is set once. */
export function timestampsAfter(to: TicketStatus, current: StatusTimestamps, now: Date): StatusTimestamps {
  switch (to) {
    case 'solved':
      return { solvedAt: now, closedAt: current.closedAt };
    case 'closed':
      return { solvedAt: current.solvedAt ?? now, closedAt: current.closedAt ?? now };
    case 'new':
    case 'open':
    case 'pending':
    case 'on_hold':
      return { solvedAt: null, closedAt: current.closedAt };
  }
}
