import type { Kysely } from 'kysely';
import type { ActorType, Database, FieldChange } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { detectLanguage } from '../classifier/language.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { timestampsAfter } from '../tickets/ticket-status.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';

type Db = Kysely<Database>;

/** The ticket's language for customer messages: from its subject and first customer message (zh by default). */
export async function ticketLanguage(
  db: Db,
  tenantId: string,
  ticketId: string,
): Promise<'zh' | 'en' | null> {
  const ticket = await db
    .selectFrom('tickets')
    .select('subject')
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
  const first = await db
    .selectFrom('ticketMessages')
    .select('body')
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'customer')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  return detectLanguage(`${ticket?.subject ?? ''} ${first?.body ?? ''}`);
}

/**
 * Row locks on tickets, in id order. Every path that writes a return locks its ticket first and the return
 * second (opening: ticket, then the insert; progress: tickets, then returns), so they never deadlock.
 */
export async function lockTickets(tx: Db, tenantId: string, ticketIds: string[]): Promise<void> {
  if (!ticketIds.length) return;
  await tx
    .selectFrom('tickets')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...new Set(ticketIds)].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * One step of a return on its ticket, in the caller's transaction (which already decided the step happens
 * once, under the return's row lock): a history entry, and optionally a public message to the customer and
 * solving the ticket. A closed or merged-away ticket gets the history entry only.
 */
export async function recordReturnStep(
  tx: Db,
  input: {
    tenantId: string;
    ticketId: string;
    action: 'return.opened' | 'return.progressed';
    change: FieldChange;
    actor: { type: ActorType; id: string | null };
    message: string | null;
    solve: boolean;
    now: Date;
  },
): Promise<void> {
  const { tenantId, ticketId, now } = input;
  const ticket = await tx
    .selectFrom('tickets')
    .select(['id', 'status', 'solvedAt', 'closedAt', 'firstRespondedAt'])
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .forUpdate()
    .executeTakeFirst();
  if (!ticket) return;
  const repo = new TicketRepository(tx);
  const changes: FieldChange[] = [input.change];
  const open = ticket.status !== 'closed';
  const message = open ? input.message : null;
  if (message) {
    const messageId = uuidv7(now.getTime());
    await repo.insertMessages([
      {
        tenantId,
        id: messageId,
        ticketId,
        authorType: 'system',
        authorId: null,
        visibility: 'public',
        body: message,
        createdAt: now,
      },
    ]);
    changes.push({ field: 'message', before: null, after: { id: messageId, visibility: 'public' } });
  }
  const solves = open && input.solve && ticket.status !== 'solved';
  if (solves) changes.push({ field: 'status', before: ticket.status, after: 'solved' });
  if (message || solves) {
    await repo.update(
      tenantId,
      ticketId,
      {
        updatedAt: now,
        ...(message && !ticket.firstRespondedAt ? { firstRespondedAt: now } : {}),
        ...(solves ? { status: 'solved' as const, ...timestampsAfter('solved', ticket, now) } : {}),
      },
      { ...(message ? { searchText: toTsvectorLiteral(message) } : {}), bumpVersion: solves },
    );
  }
  await repo.insertEvents([
    {
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: input.action,
      changes: JSON.stringify(changes),
      createdAt: now,
    },
  ]);
  if (message || solves) await recomputeSla(tx, tenantId, ticketId, now);
}
