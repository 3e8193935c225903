import type { Order } from '@peakdesk/commerce';
import type { Db } from '../../db/database.ts';
import type { FieldChange } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { detectLanguage } from '../classifier/language.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { timestampsAfter } from '../tickets/ticket-status.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';
import { AUTO_REPLY_CATEGORIES, decideShipmentReply } from './shipment-reply.ts';

/** The history action of an automatic shipment answer. */
export const AUTO_REPLY_ACTION = 'auto_replied';

/**
 * Answers the open shipping tickets of a (freshly fetched) order, once per ticket and shipment state: the
 * tickets are locked, and the `order_auto_replies` row — inserted in the same transaction as the message —
 * decides who answers, so duplicate events, a re-fetch and reconciliation running at once still send one
 * reply. Returns how many tickets were answered.
 */
export async function answerShipmentTickets(
  db: Db,
  connection: { tenantId: string; id: string; settings: { autoReplyOnShipment?: boolean } },
  order: Order,
  now: Date,
): Promise<number> {
  if (!connection.settings.autoReplyOnShipment) return 0;
  const tenantId = connection.tenantId;
  return db.transaction().execute(async (tx) => {
    const tickets = await tx
      .selectFrom('tickets')
      .select(['id', 'status', 'category', 'subject', 'solvedAt', 'closedAt'])
      .where('tenantId', '=', tenantId)
      .where('orderNumber', '=', order.orderNumber)
      .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
      .where('category', 'in', [...AUTO_REPLY_CATEGORIES])
      .where((eb) => eb.or([eb('shopConnectionId', '=', connection.id), eb('shopConnectionId', 'is', null)]))
      .where('mergedIntoId', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    let answered = 0;
    const repo = new TicketRepository(tx);
    for (const ticket of tickets) {
      const first = await tx
        .selectFrom('ticketMessages')
        .select('body')
        .where('tenantId', '=', tenantId)
        .where('ticketId', '=', ticket.id)
        .where('authorType', '=', 'customer')
        .orderBy('createdAt')
        .limit(1)
        .executeTakeFirst();
      const reply = decideShipmentReply(
        {
          status: ticket.status,
          category: ticket.category,
          language: detectLanguage(`${ticket.subject} ${first?.body ?? ''}`),
        },
        order,
        true,
      );
      if (!reply) continue;
      const messageId = uuidv7(now.getTime());
      const claimed = await tx
        .insertInto('orderAutoReplies')
        .values({ tenantId, ticketId: ticket.id, shipmentKey: reply.key, messageId, createdAt: now })
        .onConflict((oc) => oc.doNothing())
        .returning('messageId')
        .executeTakeFirst();
      if (!claimed) continue;
      await repo.insertMessages([
        {
          tenantId,
          id: messageId,
          ticketId: ticket.id,
          authorType: 'system',
          authorId: null,
          visibility: 'public',
          body: reply.body,
          createdAt: now,
        },
      ]);
      const changes: FieldChange[] = [
        {
          field: 'message',
          before: null,
          after: { id: messageId, visibility: 'public', shipment: reply.key },
        },
      ];
      const statusChanges = ticket.status !== reply.nextStatus;
      if (statusChanges) changes.push({ field: 'status', before: ticket.status, after: reply.nextStatus });
      await repo.update(
        tenantId,
        ticket.id,
        {
          updatedAt: now,
          ...(statusChanges
            ? { status: reply.nextStatus, ...timestampsAfter(reply.nextStatus, ticket, now) }
            : {}),
        },
        { searchText: toTsvectorLiteral(reply.body), bumpVersion: statusChanges },
      );
      await repo.insertEvents([
        {
          tenantId,
          id: uuidv7(now.getTime()),
          ticketId: ticket.id,
          actorType: 'system',
          actorId: null,
          action: AUTO_REPLY_ACTION,
          changes: JSON.stringify(changes),
          createdAt: now,
        },
      ]);
      await recomputeSla(tx, tenantId, ticket.id, now);
      answered++;
    }
    return answered;
  });
}
