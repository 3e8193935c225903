import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, FieldChange, TicketPriority, TicketStatus, TicketUpdate } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { freedAssignee } from '../assignment/capacity-hooks.ts';
import { recordCorrection } from '../classifier/corrections.ts';
import { findOrCreateCustomers } from '../customers/customer-identity.batch.ts';
import { decideNewTickets } from './new-ticket-decisions.ts';
import { insertNewTickets, type NewTicketRow } from './new-ticket.repository.ts';
import type { TenantConfigCache } from '../routing/tenant-config.cache.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { decodeCursor, type TicketSort } from './cursor.ts';
import {
  compareIdentity,
  hasUnstorableText,
  normaliseTags,
  prepareNewTicket,
  type NewTicketInput,
  type PreparedTicket,
  type TicketAnalysis,
} from './new-ticket.ts';
import type { TicketListFilters } from './ticket-list.query.ts';
import { actorRef, assertMayAssignTeam, defaultTeamFor, isAssignableRole } from './ticket.policy.ts';
import { TicketRepository, type NumberAllocator, type TicketRecord } from './ticket.repository.ts';
import { canTransition, timestampsAfter } from './ticket-status.ts';
import { enqueuePriceProtection } from '../aftersales/price-protection.task.ts';

export type { NewTicketInput } from './new-ticket.ts';

/** The result of one item of a batch create: the ticket, or why that item was refused. */
export type CreateResult = { ok: true; ticket: TicketRecord } | { ok: false; error: AppError };

export interface TicketPatch {
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  category?: string | null;
  /** Merged into the ticket's fields; a null value removes the key (RFC 7396, one level). */
  fields?: Record<string, unknown>;
  subject?: string;
}

export interface TicketListQuery {
  status?: TicketStatus[];
  assigneeId?: string;
  teamId?: string;
  category?: string;
  priority?: TicketPriority[];
  tag?: string;
  customerId?: string;
  orderNumber?: string;
  channel?: TicketListFilters['channel'];
  createdFrom?: string;
  createdTo?: string;
  q?: string;
  sort?: TicketSort;
  cursor?: string;
  limit?: number;
}

function invalid(field: string, detail: string): AppError {
  return new AppError('VALIDATION_FAILED', detail, { extra: { field } });
}

function notFound(): AppError {
  return new AppError('TICKET_NOT_FOUND');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parseDate(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1970 || year > 9999) {
    throw invalid(field, `${field} must be a date-time between 1970 and 9999`);
  }
  return date;
}

/**
 * The rules of tickets: creating them (in batches), reading within the actor's scope, and changing them
 * under optimistic concurrency. Messages and merges live in message.service.ts and ticket-merge.service.ts.
 */
export class TicketService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Runs after a committed update lowered an agent's load (best effort; see assignment/capacity-hooks.ts). */
    private readonly onCapacityFreed?: (tenantId: string, agentId: string) => Promise<void>,
    /** The routing/SLA configuration of recently seen tenants (intake's); without it every batch reads it. */
    private readonly configCache?: TenantConfigCache,
  ) {}

  /** One ticket; throws the item's error. */
  async create(actor: Actor, input: NewTicketInput): Promise<TicketRecord> {
    const [result] = await this.createMany(actor, [input]);
    if (!result!.ok) throw result!.error;
    return result!.ticket;
  }

  /**
   * Creates N tickets in one transaction with one counter update and one multi-row INSERT each for tickets,
   * first messages and `created` events. Items that fail validation are answered with their error and do
   * not stop the others; a database failure rolls back the whole batch (and its numbers, so no gaps).
   */
  async createMany(actor: Actor, inputs: readonly NewTicketInput[]): Promise<CreateResult[]> {
    return this.db.transaction().execute((tx) => this.createManyIn(tx, actor, inputs, this.now()));
  }

  /**
   * createMany inside the caller's transaction, for callers that must commit more in the same transaction
   * (idempotency keys of a group commit). Customer identities are claimed in one global order (kind, value)
   * so that concurrent batches wait for each other instead of deadlocking; the ticket counter is taken last,
   * so its lock is held only for the inserts and the commit. `numbers` replaces that: e.g.
   * `autocommitNumbers(db)` takes them in their own statement outside the transaction (unique and increasing
   * per tenant, but a rolled-back batch leaves a gap).
   */
  async createManyIn(
    tx: Kysely<Database>,
    actor: Actor,
    inputs: readonly NewTicketInput[],
    now: Date,
    numbers?: NumberAllocator,
    /** Per input, its analysis when the caller made it before the transaction (see analyseNewTicket). */
    analyses?: ReadonlyArray<TicketAnalysis | undefined>,
  ): Promise<CreateResult[]> {
    const repo = new TicketRepository(tx);
    const tenantId = actor.tenantId;
    const results: Array<CreateResult | PreparedTicket> = inputs.map((input, k) => {
      const prepared = prepareNewTicket(input);
      if (prepared instanceof AppError) return { ok: false, error: prepared };
      const analysis = analyses?.[k];
      if (analysis) prepared.analysis = analysis;
      prepared.teamId ??= defaultTeamFor(actor);
      try {
        if (prepared.teamId !== null) assertMayAssignTeam(actor, prepared.teamId);
      } catch (error) {
        return { ok: false, error: error as AppError };
      }
      return prepared;
    });
    const isPrepared = (r: CreateResult | PreparedTicket): r is PreparedTicket => !('ok' in r);

    const teamIds = [...new Set(results.filter(isPrepared).flatMap((p) => (p.teamId ? [p.teamId] : [])))];
    const activeTeams = new Set(await repo.findActiveTeamIds(tenantId, teamIds));
    for (const [i, r] of results.entries()) {
      if (isPrepared(r) && r.teamId !== null && !activeTeams.has(r.teamId)) {
        results[i] = { ok: false, error: invalid('teamId', 'No such active team') };
      }
    }

    const pending = [...results.entries()].filter((e): e is [number, PreparedTicket] => isPrepared(e[1]));
    if (!pending.length) return results as CreateResult[];
    const requesterOf = new Map<number, string>();
    // One batch of statements for all customers (not a round trip per ticket), in identity order as before.
    const byIdentity = [...pending].sort((a, b) => compareIdentity(a[1].identity, b[1].identity));
    const customers = await findOrCreateCustomers(
      tx,
      tenantId,
      byIdentity.map(([, p]) => p.customer),
      now,
    );
    byIdentity.forEach(([i], k) => requesterOf.set(i, customers[k]!.id));
    const decided = await decideNewTickets(
      tx,
      tenantId,
      pending.map(([i, p]) => ({ prepared: p, requesterId: requesterOf.get(i)! })),
      now,
      this.configCache,
    );

    // Default: in this transaction (gapless, but the counter row stays locked until COMMIT). Intake passes
    // an autocommit allocator so concurrent batches of one tenant do not queue on that row (gaps on rollback).
    const first = await (numbers ?? ((t, n) => repo.allocateNumbers(t, n)))(tenantId, pending.length);
    const who = actorRef(actor);
    const rows: NewTicketRow[] = pending.map(([i, p], k) => {
      const decision = decided[k]!;
      const requesterId = requesterOf.get(i)!;
      const changes: FieldChange[] = [
        { field: 'status', before: null, after: 'new' },
        { field: 'priority', before: null, after: decision.priority },
        { field: 'category', before: null, after: decision.category },
      ];
      if (decision.teamId) changes.push({ field: 'teamId', before: null, after: decision.teamId });
      if (decision.assigneeId)
        changes.push({ field: 'assigneeId', before: null, after: decision.assigneeId });
      if (decision.tags.length) changes.push({ field: 'tags', before: null, after: decision.tags });
      if (decision.slaPolicyId) {
        changes.push({ field: 'slaPolicyId', before: null, after: decision.slaPolicyId });
      }
      if (decision.matchedRuleIds.length) {
        changes.push({ field: 'routingRules', before: null, after: decision.matchedRuleIds });
      }
      return {
        id: uuidv7(now.getTime()),
        number: first + k,
        subject: p.subject,
        priority: decision.priority,
        category: decision.category,
        categoryConfidence: decision.categoryConfidence,
        channel: p.channel,
        tags: decision.tags,
        fields: JSON.stringify(p.fields),
        orderNumber: p.orderNumber,
        requesterId,
        teamId: decision.teamId,
        assigneeId: decision.assigneeId,
        slaPolicyId: decision.slaPolicyId,
        firstResponseDueAt: decision.firstResponseDueAt,
        resolutionDueAt: decision.resolutionDueAt,
        nextDueAt: decision.nextDueAt,
        slaWarningAt: decision.slaWarningAt,
        searchVector: toTsvectorLiteral([p.subject, p.orderNumber ?? '', p.body].join('\n')),
        // The first message is the customer's, whoever carried it in (a channel, an agent on the phone, an API).
        message: {
          id: uuidv7(now.getTime()),
          authorType: 'customer',
          authorId: requesterId,
          visibility: 'public',
          body: p.body,
        },
        event: { id: uuidv7(now.getTime()), ...who, action: 'created', changes: JSON.stringify(changes) },
      };
    });
    // Tickets, first messages and history in one statement (new-ticket.repository.ts).
    const tickets = await insertNewTickets(tx, tenantId, rows, now);
    const byId = new Map(tickets.map((t) => [t.id, t]));
    pending.forEach(([i], k) => {
      results[i] = { ok: true, ticket: byId.get(rows[k]!.id)! };
    });
    return results as CreateResult[];
  }

  async get(actor: Actor, id: string) {
    const detail = await new TicketRepository(this.db).findDetail(actor.tenantId, ticketScope(actor), id);
    if (!detail) throw notFound();
    return detail;
  }

  async history(actor: Actor, id: string) {
    const repo = new TicketRepository(this.db);
    if (!(await repo.findById(actor.tenantId, ticketScope(actor), id))) throw notFound();
    return repo.listEvents(actor.tenantId, id);
  }

  async list(actor: Actor, query: TicketListQuery) {
    if (hasUnstorableText(query)) throw invalid('q', 'The query contains characters that cannot be searched');
    const sort = query.sort ?? '-createdAt';
    const filters: TicketListFilters = {
      status: query.status,
      teamId: query.teamId,
      category: query.category,
      priority: query.priority,
      tag: query.tag,
      customerId: query.customerId,
      orderNumber: query.orderNumber,
      channel: query.channel,
      createdFrom: parseDate('createdFrom', query.createdFrom),
      createdTo: parseDate('createdTo', query.createdTo),
      q: query.q,
    };
    if (query.assigneeId === 'me') {
      if (!actor.userId) throw invalid('assigneeId', 'assigneeId=me needs a user, and this token has none');
      filters.assigneeId = actor.userId;
    } else if (query.assigneeId === 'none') {
      filters.assigneeId = null;
    } else if (query.assigneeId !== undefined) {
      filters.assigneeId = query.assigneeId;
    }
    const cursor = query.cursor ? decodeCursor(query.cursor, sort) : null;
    return new TicketRepository(this.db).list(actor.tenantId, ticketScope(actor), filters, {
      sort,
      limit: query.limit ?? 50,
      cursor,
    });
  }

  /**
   * Applies a patch if the ticket still has `version` (the client's If-Match). The write is a single
   * compare-and-set UPDATE, so of two writers holding one version exactly one wins and the other gets 412;
   * the history event records each changed field's before and after. A patch that changes nothing is not
   * a change: the version stays.
   */
  async update(actor: Actor, id: string, version: number, patch: TicketPatch): Promise<TicketRecord> {
    if (hasUnstorableText(patch))
      throw invalid('fields', 'The patch contains characters that cannot be stored');
    const scope = ticketScope(actor);
    let freed: string | null = null;
    const result = await this.db.transaction().execute(async (tx) => {
      const repo = new TicketRepository(tx);
      const current = await repo.findById(actor.tenantId, scope, id);
      if (!current) throw notFound();
      if (current.version !== version) {
        throw new AppError('VERSION_MISMATCH', `The ticket is at version ${current.version}, not ${version}`);
      }
      const now = this.now();
      const set: TicketUpdate = {};
      const changes: FieldChange[] = [];
      const change = <K extends keyof TicketPatch & keyof TicketRecord>(field: K, after: TicketRecord[K]) => {
        if (sameJson(current[field], after)) return;
        changes.push({ field, before: current[field], after });
        (set as Record<string, unknown>)[field] = after;
      };

      if (patch.status !== undefined && patch.status !== current.status) {
        if (!canTransition(current.status, patch.status)) {
          throw invalid('status', `A ${current.status} ticket cannot become ${patch.status}`);
        }
        change('status', patch.status);
        const stamps = timestampsAfter(patch.status, current, now);
        set.solvedAt = stamps.solvedAt;
        set.closedAt = stamps.closedAt;
      }
      if (patch.priority !== undefined) change('priority', patch.priority);
      if (patch.subject !== undefined) {
        const subject = patch.subject.replace(/\s+/g, ' ').trim();
        if (!subject) throw invalid('subject', 'The subject is empty');
        change('subject', subject);
      }
      if (patch.category !== undefined && patch.category !== current.category) {
        change('category', patch.category);
        // A person decided it: the classifier's confidence no longer describes the category.
        set.categoryConfidence = null;
      }
      if (patch.tags !== undefined) change('tags', normaliseTags(patch.tags));
      if (patch.fields !== undefined) {
        const fields = { ...current.fields };
        for (const [key, value] of Object.entries(patch.fields)) {
          if (value === null) delete fields[key];
          else fields[key] = value;
        }
        if (!sameJson(current.fields, fields)) {
          changes.push({ field: 'fields', before: current.fields, after: fields });
          set.fields = JSON.stringify(fields);
        }
      }
      if (patch.teamId !== undefined && patch.teamId !== current.teamId) {
        assertMayAssignTeam(actor, patch.teamId);
        if (patch.teamId !== null) {
          const [found] = await repo.findActiveTeamIds(actor.tenantId, [patch.teamId]);
          if (!found) throw invalid('teamId', 'No such active team');
        }
        change('teamId', patch.teamId);
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId) {
        if (patch.assigneeId !== null) {
          const user = await repo.findUser(actor.tenantId, patch.assigneeId);
          const usable =
            user &&
            user.isActive &&
            isAssignableRole(user.role) &&
            !(user.expiresAt && user.expiresAt <= now);
          if (!usable) throw invalid('assigneeId', 'No such active agent');
        }
        change('assigneeId', patch.assigneeId);
      }
      if (!changes.length) return current;

      const subjectChanged = changes.some((c) => c.field === 'subject');
      const updated = await repo.updateIfVersion(
        actor.tenantId,
        scope,
        id,
        version,
        { ...set, updatedAt: now },
        subjectChanged ? toTsvectorLiteral(set.subject as string) : undefined,
      );
      if (!updated) throw new AppError('VERSION_MISMATCH', 'The ticket changed while you were saving');
      await repo.insertEvents([
        {
          tenantId: actor.tenantId,
          id: uuidv7(),
          ticketId: id,
          ...actorRef(actor),
          action: 'updated',
          changes: JSON.stringify(changes),
          createdAt: now,
        },
      ]);
      if (set.category !== undefined) {
        // An agent's correction teaches the tenant's classifier layer (and may enqueue its retrain).
        await recordCorrection(
          tx,
          {
            tenantId: actor.tenantId,
            ticketId: id,
            oldCategory: current.category,
            newCategory: updated.category,
            ...actorRef(actor),
          },
          now,
        );
        // Re-categorised as price protection: calculate it (the job waits for an order to be linked).
        await enqueuePriceProtection(tx, {
          tenantId: actor.tenantId,
          id,
          category: updated.category,
          orderNumber: updated.orderNumber,
        });
      }
      freed = freedAssignee(current, updated);
      if (set.status || set.priority) return (await recomputeSla(tx, actor.tenantId, id, now)) ?? updated;
      return updated;
    });
    if (freed) await this.onCapacityFreed?.(actor.tenantId, freed);
    return result;
  }
}
