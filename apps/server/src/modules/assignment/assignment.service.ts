import type { Db } from '../../db/database.ts';
import type { Presence } from '../../db/tables.ts';
import { ticketEvent, type LivePublisher } from '../live/live-events.ts';
import * as repo from './assignment.repository.ts';

export type AssignOutcome =
  | { status: 'assigned'; agentId: string }
  /** Nobody eligible has capacity: the ticket waits in its team's queue. */
  | { status: 'queued' }
  /** Already assigned or closed, or another assigner holds it right now (it will finish the job). */
  | { status: 'skipped' };

export type PullOutcome =
  | { status: 'assigned'; ticketId: string }
  | { status: 'at_capacity' }
  | { status: 'queue_empty' }
  | { status: 'not_an_agent' };

/** How many agents one assignment tries before it gives up and leaves the ticket queued. */
const MAX_CANDIDATES = 50;

/**
 * Load-balanced assignment. Every hand-out is one short transaction that locks the ticket (SKIP LOCKED: no
 * two assigners ever work on one ticket) and then the agent's row, and re-counts the agent's load after the
 * lock, so under any concurrency no agent goes above capacity and no ticket is assigned twice. Locks are
 * always taken ticket first (never waiting) then agent (waiting), so assigners cannot deadlock each other.
 */
export class AssignmentService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Told of every hand-out after its commit (live updates). */
    private readonly live?: LivePublisher,
  ) {}

  private published(tenantId: string, ticketId: string, teamId: string | null, agentId: string): void {
    this.live?.publish(
      tenantId,
      ticketEvent('ticket.updated', [{ id: ticketId, teamId, assigneeId: agentId }], this.now()),
    );
  }

  /** Gives a routed ticket to the best eligible online agent with free capacity, or leaves it queued. */
  async assignTicket(tenantId: string, ticketId: string): Promise<AssignOutcome> {
    let teamId: string | null = null;
    const outcome = await this.db.transaction().execute(async (tx): Promise<AssignOutcome> => {
      const ticket = await repo.lockUnassignedTicket(tx, tenantId, ticketId);
      if (!ticket) return { status: 'skipped' };
      teamId = ticket.teamId;
      const excluded: string[] = [];
      for (let attempt = 0; attempt < MAX_CANDIDATES; attempt++) {
        // Prefer agents nobody else is assigning to right now; when all are busy, wait for the best one.
        const candidate =
          (await repo.findBestAgent(tx, tenantId, ticket, excluded, 'skip-locked')) ??
          (await repo.findBestAgent(tx, tenantId, ticket, excluded, 'none'));
        if (!candidate) return { status: 'queued' };
        const agent = await repo.lockAgentAndCountLoad(tx, tenantId, candidate.id);
        if (agent && agent.isActive && agent.presence === 'online' && agent.load < agent.capacity) {
          await repo.claim(tx, tenantId, ticket.id, candidate.id, this.now());
          return { status: 'assigned', agentId: candidate.id };
        }
        // Filled up (or went offline) while we looked: try the next best.
        excluded.push(candidate.id);
      }
      return { status: 'queued' };
    });
    if (outcome.status === 'assigned') this.published(tenantId, ticketId, teamId, outcome.agentId);
    return outcome;
  }

  /** "Next ticket": the most urgent, then oldest, waiting ticket of the agent's teams, within capacity. */
  async pullNextTicket(tenantId: string, agentId: string): Promise<PullOutcome> {
    let teamId: string | null = null;
    const outcome = await this.db.transaction().execute(async (tx): Promise<PullOutcome> => {
      const agent = await repo.lockAgentAndCountLoad(tx, tenantId, agentId);
      if (!agent || !agent.isActive) return { status: 'not_an_agent' };
      if (agent.load >= agent.capacity) return { status: 'at_capacity' };
      const ticket = await repo.lockNextWaitingFor(tx, tenantId, agentId);
      if (!ticket) return { status: 'queue_empty' };
      teamId = ticket.teamId;
      await repo.claim(tx, tenantId, ticket.id, agentId, this.now());
      return { status: 'assigned', ticketId: ticket.id };
    });
    if (outcome.status === 'assigned') this.published(tenantId, outcome.ticketId, teamId, agentId);
    return outcome;
  }

  /**
   * Capacity freed for an agent (a ticket solved, the agent came online, capacity raised): hand them waiting
   * tickets until they are full or the queue is empty. Does nothing unless the agent is online.
   */
  async onCapacityFreed(tenantId: string, agentId: string): Promise<string[]> {
    const given: string[] = [];
    for (;;) {
      const state = await this.db.transaction().execute(async (tx) => {
        const agent = await repo.lockAgentAndCountLoad(tx, tenantId, agentId);
        return agent?.presence === 'online' && agent.isActive;
      });
      if (!state) return given;
      const outcome = await this.pullNextTicket(tenantId, agentId);
      if (outcome.status !== 'assigned') return given;
      given.push(outcome.ticketId);
    }
  }

  /** Offline: untouched tickets go back and are handed to others (or wait). Online: fill up from the queue. */
  async onPresenceChanged(tenantId: string, agentId: string, presence: Presence): Promise<void> {
    if (presence === 'online') {
      await this.onCapacityFreed(tenantId, agentId);
      return;
    }
    if (presence !== 'offline') return;
    const released = await this.db
      .transaction()
      .execute((tx) => repo.releaseUntouched(tx, tenantId, agentId, this.now()));
    if (released.length) {
      this.live?.publish(
        tenantId,
        ticketEvent(
          'ticket.updated',
          released.map((t) => ({ id: t.id, teamId: t.teamId, assigneeId: null })),
          this.now(),
        ),
      );
    }
    for (const { id } of released) await this.assignTicket(tenantId, id);
  }

  /** Hands out up to `limit` waiting tickets, most urgent then oldest first (after a bulk change). */
  async dispatchWaiting(tenantId: string, limit = 100): Promise<number> {
    let assigned = 0;
    for (const id of await repo.findWaiting(this.db, tenantId, limit)) {
      if ((await this.assignTicket(tenantId, id)).status === 'assigned') assigned++;
    }
    return assigned;
  }
}
