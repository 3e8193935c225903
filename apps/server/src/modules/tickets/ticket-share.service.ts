import type { Db } from '../../db/database.ts';
import type { Department } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { actorRef } from './ticket.policy.ts';
import { TicketRepository } from './ticket.repository.ts';

const DEPARTMENTS: readonly string[] = ['warehouse', 'logistics', 'purchasing'] satisfies Department[];

function isDepartment(value: string): value is Department {
  return DEPARTMENTS.includes(value);
}

/** Sharing a ticket with a department lets that department's collaborators see it (and add notes). */
export class TicketShareService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Shares a ticket with a department (idempotent); returns the ticket's shares. */
  async share(actor: Actor, id: string, department: Department) {
    return this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      if (!(await repo.findById(actor.tenantId, ticketScope(actor), id, { lock: true })))
        throw new AppError('TICKET_NOT_FOUND');
      const now = this.now();
      if (await repo.insertShare(actor.tenantId, id, department, actor.userId, now)) {
        await this.recordShareEvent(repo, actor, id, 'shared', { before: null, after: department }, now);
      }
      return repo.listShares(actor.tenantId, id);
    });
  }

  async unshare(actor: Actor, id: string, department: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      if (!(await repo.findById(actor.tenantId, ticketScope(actor), id, { lock: true })))
        throw new AppError('TICKET_NOT_FOUND');
      if (!isDepartment(department) || !(await repo.deleteShare(actor.tenantId, id, department))) {
        throw new AppError('NOT_FOUND', `The ticket is not shared with ${department}`);
      }
      await this.recordShareEvent(
        repo,
        actor,
        id,
        'unshared',
        { before: department, after: null },
        this.now(),
      );
    });
  }

  private async recordShareEvent(
    repo: TicketRepository,
    actor: Actor,
    ticketId: string,
    action: string,
    change: { before: unknown; after: unknown },
    now: Date,
  ): Promise<void> {
    await repo.insertEvents([
      {
        tenantId: actor.tenantId,
        id: uuidv7(),
        ticketId,
        ...actorRef(actor),
        action,
        changes: JSON.stringify([{ field: 'shares', ...change }]),
        createdAt: now,
      },
    ]);
  }
}
