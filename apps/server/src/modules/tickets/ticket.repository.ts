import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type {
  Database,
  Department,
  TicketEventsTable,
  TicketMessagesTable,
  TicketsTable,
  TicketUpdate,
} from '../../db/tables.ts';
import type { TicketScope } from '../access/permissions.ts';
import {
  listTickets,
  SUMMARY_COLUMNS,
  type TicketListFilters,
  type TicketPage,
} from './ticket-list.query.ts';
import { inScope } from './ticket-scope.sql.ts';

/**
 * Every ticket column but the search vector, which the API never reads back: the list's columns plus the
 * two a list leaves out. Built from SUMMARY_COLUMNS so a new column cannot reach one shape and not the other.
 */
export const TICKET_COLUMNS = [...SUMMARY_COLUMNS, 'tickets.tenantId', 'tickets.fields'] as const;

const MESSAGE_COLUMNS = [
  'id',
  'ticketId',
  'authorType',
  'authorId',
  'visibility',
  'body',
  'createdAt',
] as const;

/**
 * PostgreSQL refuses a tsvector whose lexemes pass 1 MB ("string is too long for tsvector"). A long thread
 * (or a hostile one) would reach it by appending messages, and the reply would fail; instead the ticket keeps
 * the index it has and the new words go unindexed. The text form of the stripped vectors is an upper bound
 * of their lexeme bytes (it adds quotes and spaces), so the check never lets an append fail.
 */
const TSVECTOR_LEXEME_LIMIT = 1_000_000;

function appended(current: RawBuilder<string>, addition: RawBuilder<string>): RawBuilder<string> {
  return sql<string>`CASE
    WHEN octet_length(strip(${current})::text) + octet_length(strip(${addition})::text) < ${sql.lit(TSVECTOR_LEXEME_LIMIT)}
    THEN ${current} || ${addition} ELSE ${current} END`;
}

/** Rows per multi-row INSERT: PostgreSQL takes at most 65,535 parameters a statement. */
const CHUNK = 1000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Takes the next `count` ticket numbers of a tenant and returns the first. */
export type NumberAllocator = (tenantId: string, count: number) => Promise<number>;

/**
 * Ticket numbers taken in their own autocommit statement on the pool, outside the caller's transaction: the
 * counter row is locked only for that statement, so concurrent batches of one tenant no longer wait for each
 * other's COMMIT. Numbers stay unique and increasing per tenant; a batch that rolls back after taking its
 * numbers leaves a gap (as Zendesk and Jira numbers have). The requirement is unique human numbers, not
 * gaplessness. Uses a second pool connection while the caller's transaction holds one: callers keep their
 * concurrent transactions below the pool size (intake: PEAKDESK_INTAKE_COMMITS ≤ pool − 4).
 */
export function autocommitNumbers(db: Kysely<Database>): NumberAllocator {
  return (tenantId, count) => new TicketRepository(db).allocateNumbers(tenantId, count);
}

/**
 * Storage of tickets, their messages, history and shares. Every query is keyed by tenant, and every read a
 * user makes is filtered by the actor's TicketScope in SQL. No business rules here: see ticket.service.ts.
 * Construct it over a transaction to take part in one.
 */
export class TicketRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes the next `count` ticket numbers of a tenant in one statement and returns the first. The counter
   * row is locked until the transaction ends, so numbers are unique, and a rollback returns them: no gaps
   * inside a transaction; on the pool (autocommitNumbers) the lock lasts one statement and rollbacks leave gaps.
   */
  async allocateNumbers(tenantId: string, count: number): Promise<number> {
    const row = await this.db
      .insertInto('tenantCounters')
      .values({ tenantId, name: 'ticket', value: count })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'name']).doUpdateSet({ value: sql`tenant_counters.value + ${count}` }),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value) - count + 1;
  }

  async insertTickets(rows: Insertable<TicketsTable>[]) {
    const out = [];
    for (const chunk of chunks(rows)) {
      out.push(...(await this.db.insertInto('tickets').values(chunk).returning(TICKET_COLUMNS).execute()));
    }
    return out;
  }

  async insertMessages(rows: Insertable<TicketMessagesTable>[]): Promise<void> {
    for (const chunk of chunks(rows)) await this.db.insertInto('ticketMessages').values(chunk).execute();
  }

  async insertEvents(rows: Insertable<TicketEventsTable>[]): Promise<void> {
    for (const chunk of chunks(rows)) await this.db.insertInto('ticketEvents').values(chunk).execute();
  }

  /** One ticket the actor may see; `lock` takes a row lock for the rest of the transaction. */
  async findById(tenantId: string, scope: TicketScope, id: string, options: { lock?: boolean } = {}) {
    let q = this.db
      .selectFrom('tickets')
      .select(TICKET_COLUMNS)
      .where('tickets.tenantId', '=', tenantId)
      .where('tickets.id', '=', id)
      .where(inScope(scope));
    if (options.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * A ticket with its requester, whole thread (oldest first) and current shares, or undefined: one statement,
   * the three children aggregated as JSON, so opening a ticket costs one round trip however busy the pool.
   */
  async findDetail(tenantId: string, scope: TicketScope, id: string) {
    const row = await this.db
      .selectFrom('tickets')
      .select(TICKET_COLUMNS)
      .select((eb) => [
        jsonObjectFrom(
          eb
            .selectFrom('customers')
            .select([
              'customers.id',
              'customers.name',
              'customers.email',
              'customers.phone',
              'customers.tier',
              'customers.address',
            ])
            .whereRef('customers.tenantId', '=', 'tickets.tenantId')
            .whereRef('customers.id', '=', 'tickets.requesterId'),
        ).as('requester'),
        jsonArrayFrom(
          eb
            .selectFrom('ticketMessages as m')
            .select(MESSAGE_COLUMNS.map((c) => `m.${c}` as const))
            .whereRef('m.tenantId', '=', 'tickets.tenantId')
            .whereRef('m.ticketId', '=', 'tickets.id')
            .orderBy('m.createdAt')
            .orderBy('m.id'),
        ).as('messages'),
        jsonArrayFrom(
          eb
            .selectFrom('ticketShares as s')
            .select(['s.department', 's.sharedBy', 's.createdAt'])
            .whereRef('s.tenantId', '=', 'tickets.tenantId')
            .whereRef('s.ticketId', '=', 'tickets.id')
            .orderBy('s.department'),
        ).as('shares'),
      ])
      .where('tickets.tenantId', '=', tenantId)
      .where('tickets.id', '=', id)
      .where(inScope(scope))
      .executeTakeFirst();
    if (!row) return undefined;
    const { requester, messages, shares, ...ticket } = row;
    // Timestamps inside JSON arrive as text.
    const at = (value: string) => new Date(value);
    return {
      ticket,
      requester: requester!,
      messages: messages.map((m) => ({ ...m, createdAt: at(m.createdAt) })),
      shares: shares.map((sh) => ({ ...sh, createdAt: at(sh.createdAt) })),
    };
  }

  list(tenantId: string, scope: TicketScope, filters: TicketListFilters, page: TicketPage) {
    return listTickets(this.db, tenantId, scope, filters, page);
  }

  /**
   * Compare-and-set on the version: applies `set` only if the ticket (in scope) still has `version`, and
   * bumps it, in one statement, so two writers holding the same version can never both succeed.
   */
  async updateIfVersion(
    tenantId: string,
    scope: TicketScope,
    id: string,
    version: number,
    set: TicketUpdate,
    searchText?: string,
  ) {
    return this.db
      .updateTable('tickets')
      .set({
        ...set,
        version: sql`version + 1`,
        ...(searchText ? { searchVector: appended(sql`search_vector`, sql`${searchText}::tsvector`) } : {}),
      })
      .where('tickets.tenantId', '=', tenantId)
      .where('tickets.id', '=', id)
      .where('tickets.version', '=', version)
      .where(inScope(scope))
      .returning(TICKET_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Updates a ticket the caller has locked. `searchText` (a tsvector literal) is appended to the search
   * vector; `bumpVersion` marks a change that clients holding the old version must not overwrite.
   */
  async update(
    tenantId: string,
    id: string,
    set: TicketUpdate,
    options: { searchText?: string; bumpVersion?: boolean } = {},
  ) {
    return this.db
      .updateTable('tickets')
      .set({
        ...set,
        ...(options.bumpVersion ? { version: sql`version + 1` } : {}),
        ...(options.searchText
          ? { searchVector: appended(sql`search_vector`, sql`${options.searchText}::tsvector`) }
          : {}),
      })
      .where('tickets.tenantId', '=', tenantId)
      .where('tickets.id', '=', id)
      .returning(TICKET_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** Appends another ticket's whole search vector (a merge). */
  async appendSearchVectorOf(tenantId: string, targetId: string, sourceId: string): Promise<void> {
    await sql`
      UPDATE tickets t SET search_vector = ${appended(sql`t.search_vector`, sql`s.search_vector`)}
      FROM tickets s
      WHERE t.tenant_id = ${tenantId} AND t.id = ${targetId}
        AND s.tenant_id = ${tenantId} AND s.id = ${sourceId}`.execute(this.db);
  }

  /**
   * Moves a ticket's messages to another, keeping their created_at (a merge). A channel message delivered to
   * both tickets keeps its external id on the target only, which still answers that delivery's retries.
   */
  async moveMessages(tenantId: string, fromId: string, toId: string): Promise<number> {
    await sql`
      UPDATE ticket_messages s SET external_id = NULL
      WHERE s.tenant_id = ${tenantId} AND s.ticket_id = ${fromId} AND s.external_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM ticket_messages t
          WHERE t.tenant_id = s.tenant_id AND t.ticket_id = ${toId} AND t.external_id = s.external_id)`.execute(
      this.db,
    );
    const result = await this.db
      .updateTable('ticketMessages')
      .set({ ticketId: toId })
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', fromId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  listEvents(tenantId: string, ticketId: string) {
    return this.db
      .selectFrom('ticketEvents')
      .select(['id', 'actorType', 'actorId', 'action', 'changes', 'createdAt'])
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .orderBy('id')
      .limit(1000)
      .execute();
  }

  listShares(tenantId: string, ticketId: string) {
    return this.db
      .selectFrom('ticketShares')
      .select(['department', 'sharedBy', 'createdAt'])
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .orderBy('department')
      .execute();
  }

  /** Returns whether the share is new. */
  async insertShare(
    tenantId: string,
    ticketId: string,
    department: Department,
    sharedBy: string | null,
    now: Date,
  ): Promise<boolean> {
    const row = await this.db
      .insertInto('ticketShares')
      .values({ tenantId, ticketId, department, sharedBy, createdAt: now })
      .onConflict((oc) => oc.doNothing())
      .returning('department')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Returns whether a share was removed. */
  async deleteShare(tenantId: string, ticketId: string, department: Department): Promise<boolean> {
    const result = await this.db
      .deleteFrom('ticketShares')
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where('department', '=', department)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  findUser(tenantId: string, id: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'role', 'isActive', 'expiresAt'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findActiveTeamIds(tenantId: string, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('teams')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', 'in', [...ids])
      .where('isActive', '=', true)
      .execute()
      .then((rows) => rows.map((r) => r.id));
  }
}

export type TicketRecord = NonNullable<Awaited<ReturnType<TicketRepository['findById']>>>;
export type TicketDetailRecord = NonNullable<Awaited<ReturnType<TicketRepository['findDetail']>>>;
export type MessageRecord = TicketDetailRecord['messages'][number];
export type EventRecord = Awaited<ReturnType<TicketRepository['listEvents']>>[number];
export type ShareRecord = Awaited<ReturnType<TicketRepository['listShares']>>[number];
