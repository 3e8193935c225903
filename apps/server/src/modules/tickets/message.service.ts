import type { Db } from '../../db/database.ts';
import type { FieldChange, TicketUpdate } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { hasUnstorableText } from './new-ticket.ts';
import { actorRef, assertMayPostMessage } from './ticket.policy.ts';
import { TicketRepository } from './ticket.repository.ts';

export interface NewMessageInput {
  body: string;
  visibility: 'public' | 'internal';
}

/**
 * Replies and internal notes by staff. A public reply is the agent speaking to the customer: the first one
 * stamps first_responded_at, and one on a `new` ticket opens it. Every message extends the ticket's search
 * vector. The ticket row is locked for the transaction so concurrent replies apply in order.
 */
export class MessageService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(actor: Actor, ticketId: string, input: NewMessageInput) {
    assertMayPostMessage(actor, input.visibility);
    const body = input.body.trim();
    if (!body || hasUnstorableText(body)) {
      throw new AppError('VALIDATION_FAILED', 'The message body is empty or cannot be stored', {
        extra: { field: 'body' },
      });
    }
    return this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      const ticket = await repo.findById(actor.tenantId, ticketScope(actor), ticketId, { lock: true });
      if (!ticket) throw new AppError('TICKET_NOT_FOUND');
      if (ticket.status === 'closed') {
        throw new AppError('CONFLICT', 'The ticket is closed; a new request needs a new ticket');
      }
      const now = this.now();
      const isReply = input.visibility === 'public';
      const message = {
        tenantId: actor.tenantId,
        id: uuidv7(now.getTime()),
        ticketId,
        authorType: 'agent' as const,
        authorId: actor.userId,
        visibility: input.visibility,
        body,
        createdAt: now,
      };
      await repo.insertMessages([message]);

      const set: TicketUpdate = { updatedAt: now };
      const changes: FieldChange[] = [
        { field: 'message', before: null, after: { id: message.id, visibility: input.visibility } },
      ];
      if (isReply && !ticket.firstRespondedAt) {
        set.firstRespondedAt = now;
        changes.push({ field: 'firstRespondedAt', before: null, after: now.toISOString() });
      }
      const opens = isReply && ticket.status === 'new';
      if (opens) {
        set.status = 'open';
        changes.push({ field: 'status', before: 'new', after: 'open' });
      }
      // Only a status change bumps the version: a note must not invalidate an agent's open edit form.
      const updated = await repo.update(actor.tenantId, ticketId, set, {
        searchText: toTsvectorLiteral(body),
        bumpVersion: opens,
      });
      await repo.insertEvents([
        {
          tenantId: actor.tenantId,
          id: uuidv7(now.getTime()),
          ticketId,
          ...actorRef(actor),
          action: isReply ? 'replied' : 'noted',
          changes: JSON.stringify(changes),
          createdAt: now,
        },
      ]);
      const resynced = isReply ? await recomputeSla(tx, actor.tenantId, ticketId, now) : null;
      return { message, ticket: resynced ?? updated };
    });
  }
}
