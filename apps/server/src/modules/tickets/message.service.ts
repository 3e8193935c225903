import type { Db } from '../../db/database.ts';
import type { FieldChange, TicketUpdate } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { hasUnstorableText } from './new-ticket.ts';
import { timestampsAfter } from './ticket-status.ts';
import { actorRef, assertMayPostMessage } from './ticket.policy.ts';
import { TicketRepository } from './ticket.repository.ts';

export interface NewMessageInput {
  body: string;
  visibility: 'public' | 'internal';
}

export interface CustomerMessageInput {
  body: string;
  /** The channel's id of the message: a retried delivery with the same id returns the first one. */
  externalMessageId?: string;
}

/** A customer writing again wakes a ticket that waits on them or was solved; `closed` is final. */
const REOPENED_BY_CUSTOMER = new Set(['pending', 'on_hold', 'solved']);

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
    const body = storableBody(input.body);
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

  /**
   * A customer's follow-up, relayed by a channel, an integration or an agent typing in a phone call. The
   * requester is the author. A ticket waiting on the customer (or solved) opens again, and the SLA clock
   * starts the next-response target. An assigned ticket stays with its agent; an unassigned one stays in its
   * team's queue for the dispatcher. `replayed` is true when externalMessageId was seen on this ticket.
   */
  async addFromCustomer(actor: Actor, ticketId: string, input: CustomerMessageInput) {
    const body = storableBody(input.body);
    const externalId = input.externalMessageId ?? null;
    return this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      const ticket = await repo.findById(actor.tenantId, ticketScope(actor), ticketId, { lock: true });
      if (!ticket) throw new AppError('TICKET_NOT_FOUND');
      // Looked up under the ticket's lock, so two deliveries of one message cannot both miss it.
      if (externalId !== null) {
        const existing = await tx
          .selectFrom('ticketMessages')
          .select(['id', 'ticketId', 'authorType', 'authorId', 'visibility', 'body', 'createdAt'])
          .where('tenantId', '=', actor.tenantId)
          .where('ticketId', '=', ticketId)
          .where('externalId', '=', externalId)
          .executeTakeFirst();
        if (existing) return { message: existing, ticket, replayed: true };
      }
      if (ticket.status === 'closed') {
        throw new AppError('CONFLICT', 'The ticket is closed; the customer’s new request needs a new ticket');
      }
      const now = this.now();
      const message = {
        tenantId: actor.tenantId,
        id: uuidv7(now.getTime()),
        ticketId,
        authorType: 'customer' as const,
        authorId: ticket.requesterId,
        visibility: 'public' as const,
        body,
        externalId,
        createdAt: now,
      };
      await repo.insertMessages([message]);

      const set: TicketUpdate = { updatedAt: now };
      const changes: FieldChange[] = [
        {
          field: 'message',
          before: null,
          after: { id: message.id, visibility: 'public', author: 'customer' },
        },
      ];
      const reopens = REOPENED_BY_CUSTOMER.has(ticket.status);
      if (reopens) {
        set.status = 'open';
        const stamps = timestampsAfter('open', ticket, now);
        set.solvedAt = stamps.solvedAt;
        set.closedAt = stamps.closedAt;
        changes.push({ field: 'status', before: ticket.status, after: 'open' });
      }
      // As with replies, only a status change bumps the version.
      const updated = await repo.update(actor.tenantId, ticketId, set, {
        searchText: toTsvectorLiteral(body),
        bumpVersion: reopens,
      });
      await repo.insertEvents([
        {
          tenantId: actor.tenantId,
          id: uuidv7(now.getTime()),
          ticketId,
          // Who relayed it is recorded; the message itself names the customer as its author.
          ...actorRef(actor),
          action: 'customer_message',
          changes: JSON.stringify(changes),
          createdAt: now,
        },
      ]);
      const resynced = await recomputeSla(tx, actor.tenantId, ticketId, now);
      const { externalId: _stored, tenantId: _tenant, ...view } = message;
      return { message: view, ticket: resynced ?? updated, replayed: false };
    });
  }
}

function storableBody(raw: string): string {
  const body = raw.trim();
  if (!body || hasUnstorableText(body)) {
    throw new AppError('VALIDATION_FAILED', 'The message body is empty or cannot be stored', {
      extra: { field: 'body' },
    });
  }
  return body;
}
