import type { Db } from '../../db/database.ts';
import type { FieldChange } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { normaliseTags } from './new-ticket.ts';
import { actorRef } from './ticket.policy.ts';
import { TicketRepository, type TicketRecord } from './ticket.repository.ts';

function refuse(detail: string): AppError {
  return new AppError('MERGE_INVALID', detail);
}

/**
 * Merges a duplicate (source) into the ticket that carries on (target): the source's messages move over
 * with their created_at, both get an internal system note, the source is closed with merged_into_id, tags
 * are united, the target's search vector takes the source's, and both versions are bumped and both
 * histories record it. The two rows are locked in id order so that two opposite merges cannot deadlock.
 */
export class TicketMergeService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async merge(
    actor: Actor,
    sourceId: string,
    targetId: string,
    options: { force?: boolean } = {},
  ): Promise<TicketRecord> {
    if (sourceId === targetId) throw refuse('A ticket cannot be merged into itself');
    const scope = ticketScope(actor);
    return this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      const locked = new Map<string, TicketRecord>();
      for (const id of [sourceId, targetId].sort()) {
        const row = await repo.findById(actor.tenantId, scope, id, { lock: true });
        if (!row) throw new AppError('TICKET_NOT_FOUND', `Ticket ${id} not found`);
        locked.set(id, row);
      }
      const source = locked.get(sourceId)!;
      const target = locked.get(targetId)!;
      for (const t of [source, target]) {
        if (t.status === 'closed' || t.mergedIntoId) {
          throw refuse(`Ticket #${t.number} is closed or merged already`);
        }
      }
      if (source.requesterId !== target.requesterId && !options.force) {
        throw refuse('The tickets have different requesters; send force: true to merge anyway');
      }

      const now = this.now();
      const who = actorRef(actor);
      await repo.moveMessages(actor.tenantId, sourceId, targetId);
      const targetNote = `Ticket #${source.number} was merged into this ticket.`;
      await repo.insertMessages([
        this.note(actor.tenantId, targetId, targetNote, now),
        this.note(actor.tenantId, sourceId, `This ticket was merged into ticket #${target.number}.`, now),
      ]);
      await repo.appendSearchVectorOf(actor.tenantId, targetId, sourceId);

      const tags = normaliseTags([...target.tags, ...source.tags]);
      const updatedTarget = await repo.update(
        actor.tenantId,
        targetId,
        { tags, updatedAt: now },
        { bumpVersion: true, searchText: toTsvectorLiteral(targetNote) },
      );
      await repo.update(
        actor.tenantId,
        sourceId,
        {
          status: 'closed',
          closedAt: now,
          solvedAt: source.solvedAt ?? now,
          mergedIntoId: targetId,
          updatedAt: now,
        },
        { bumpVersion: true },
      );

      const targetChanges: FieldChange[] = [{ field: 'mergedFrom', before: null, after: sourceId }];
      if (tags.length !== target.tags.length) {
        targetChanges.push({ field: 'tags', before: target.tags, after: tags });
      }
      const sourceChanges: FieldChange[] = [
        { field: 'status', before: source.status, after: 'closed' },
        { field: 'mergedIntoId', before: null, after: targetId },
      ];
      await repo.insertEvents([
        this.event(actor.tenantId, targetId, who, 'merged_in', targetChanges, now),
        this.event(actor.tenantId, sourceId, who, 'merged', sourceChanges, now),
      ]);
      // The source's messages (a customer's among them) may owe a response now.
      return (await recomputeSla(tx, actor.tenantId, targetId, now)) ?? updatedTarget;
    });
  }

  private note(tenantId: string, ticketId: string, body: string, now: Date) {
    return {
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      authorType: 'system' as const,
      authorId: null,
      visibility: 'internal' as const,
      body,
      createdAt: now,
    };
  }

  private event(
    tenantId: string,
    ticketId: string,
    who: ReturnType<typeof actorRef>,
    action: string,
    changes: FieldChange[],
    now: Date,
  ) {
    return {
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      ...who,
      action,
      changes: JSON.stringify(changes),
      createdAt: now,
    };
  }
}
