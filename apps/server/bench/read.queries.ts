/**
 * The read paths the benchmark times, behind one small interface so that the numbers come from the code
 * users run (the tickets repository) rather than from SQL written for the benchmark.
 */
import type { Db } from '../src/db/database.ts';
import { TicketRepository } from '../src/modules/tickets/ticket.repository.ts';
import type { Cursor } from '../src/modules/tickets/cursor.ts';
import { decodeCursor } from '../src/modules/tickets/cursor.ts';

export interface ListResult {
  items: { id: string }[];
  nextCursor: string | null;
}

export interface ReadPath {
  source: string;
  agentQueue(tenantId: string, agentId: string, cursor?: string | null): Promise<ListResult>;
  teamQueue(tenantId: string, teamId: string): Promise<ListResult>;
  ticketWithMessages(tenantId: string, id: string): Promise<{ messages: unknown[] } | undefined>;
  search(tenantId: string, q: string): Promise<ListResult>;
}

const PAGE = 25;
const ALL = { kind: 'all' } as const;

/** Through TicketRepository: list() with the queue sort or the newest-first search, findDetail(). */
export function repositoryReadPath(db: Db): ReadPath {
  const tickets = new TicketRepository(db);
  const cursorOf = (text: string | null | undefined): Cursor | null =>
    text ? decodeCursor(text, 'nextDueAt') : null;
  return {
    source: 'apps/server/src/modules/tickets/ticket.repository.ts (TicketRepository.list, findDetail)',
    agentQueue: (tenantId, agentId, cursor) =>
      tickets.list(
        tenantId,
        ALL,
        { assigneeId: agentId },
        { sort: 'nextDueAt', limit: PAGE, cursor: cursorOf(cursor) },
      ),
    teamQueue: (tenantId, teamId) =>
      tickets.list(tenantId, ALL, { teamId }, { sort: 'nextDueAt', limit: PAGE, cursor: null }),
    ticketWithMessages: (tenantId, id) => tickets.findDetail(tenantId, ALL, id),
    search: (tenantId, q) =>
      tickets.list(tenantId, ALL, { q }, { sort: '-createdAt', limit: PAGE, cursor: null }),
  };
}
