import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Channel, Database, TicketPriority, TicketStatus } from '../../db/tables.ts';
import type { TicketScope } from '../access/permissions.ts';
import { toTsqueryLiteral } from '../search/cjk-tokenizer.ts';
import { encodeCursor, type Cursor, type TicketSort } from './cursor.ts';
import { inScope } from './ticket-scope.sql.ts';

/** List filters, already resolved (`assigneeId=me` is the actor's user id; `none` is null). */
export interface TicketListFilters {
  status?: TicketStatus[];
  /** null: unassigned tickets. */
  assigneeId?: string | null;
  teamId?: string;
  category?: string;
  priority?: TicketPriority[];
  tag?: string;
  customerId?: string;
  orderNumber?: string;
  channel?: Channel;
  /** Inclusive. */
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
  /** What the user typed; CJK words match as bigram phrases, Latin words by prefix. */
  q?: string;
}

export interface TicketPage {
  sort: TicketSort;
  limit: number;
  cursor?: Cursor | null;
}

/** The lean columns of a ticket in a list (no messages, no custom fields, no search vector). */
export const SUMMARY_COLUMNS = [
  'tickets.id',
  'tickets.number',
  'tickets.subject',
  'tickets.status',
  'tickets.priority',
  'tickets.category',
  'tickets.categoryConfidence',
  'tickets.channel',
  'tickets.tags',
  'tickets.orderNumber',
  'tickets.requesterId',
  'tickets.assigneeId',
  'tickets.teamId',
  'tickets.firstResponseDueAt',
  'tickets.nextResponseDueAt',
  'tickets.resolutionDueAt',
  'tickets.nextDueAt',
  'tickets.slaPolicyId',
  'tickets.slaWarningAt',
  'tickets.slaBreachedAt',
  'tickets.firstRespondedAt',
  'tickets.solvedAt',
  'tickets.closedAt',
  'tickets.mergedIntoId',
  'tickets.createdAt',
  'tickets.updatedAt',
  'tickets.version',
] as const;

const micros = (column: 'created_at' | 'next_due_at') =>
  sql<
    string | null
  >`to_char(${sql.ref(`tickets.${column}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const matches = (tsquery: string) => sql<SqlBool>`tickets.search_vector @@ ${tsquery}::tsquery`;

const OPEN_ONLY = sql<SqlBool>`tickets.status NOT IN ('solved', 'closed')`;

/**
 * How many of the newest tickets (those the other filters let through) a search reads before it asks the
 * GIN index instead. PostgreSQL prices a phrase (`'价格' <-> '格保' <-> '保护'`) as the product of its bigrams'
 * frequencies, so it takes a four-character word matching 5% of a million tickets for a rare one and plans a
 * GIN bitmap: tens of thousands of heap rows rechecked for positions, then sorted (0.4–1.2 s, measured by
 * `npm run bench:read`). Reading the newest rows in created_at order finds a page of any word in more than
 * ~0.3% of the newest tickets within the window (a few ms); rarer words fall through to the planner's
 * choice, the GIN bitmap, which is then cheap because few rows match.
 */
export const SEARCH_WINDOW = 10_000;

/**
 * One keyset page of tickets. Each sort walks an index of migration 0001:
 * - `-createdAt`: tickets_created_idx (tenant_id, created_at desc, id desc), or tickets_status_idx with a
 *   status filter; the cursor is the row comparison `(created_at, id) < (…)`.
 * - `nextDueAt` (queue order, due time ascending, undated last, then id): the partial queue indexes
 *   (tenant_id, assignee_id | team_id, next_due_at, id) WHERE status NOT IN ('solved','closed'). The same
 *   predicate is written literally so the planner can prove the partial index applies; without a status
 *   filter this sort lists open tickets only (it is a queue). Dated and undated rows are fetched by two
 *   index-ordered queries rather than one OR, which could not use the index for the cursor.
 * - A search (`q`) in `-createdAt` order first looks for a page among the newest SEARCH_WINDOW tickets (see
 *   there), and asks the GIN index only when those hold less than a page.
 */
export async function listTickets(
  db: Kysely<Database>,
  tenantId: string,
  scope: TicketScope,
  filters: TicketListFilters,
  page: TicketPage,
) {
  let tsquery: string | null = null;
  if (filters.q !== undefined) {
    tsquery = toTsqueryLiteral(filters.q);
    if (tsquery === null) return { items: [], nextCursor: null };
  }
  const queue = page.sort === 'nextDueAt';
  const filtered = (withSearch: boolean) => {
    let q = db.selectFrom('tickets').where('tickets.tenantId', '=', tenantId).where(inScope(scope));
    if (filters.status?.length) {
      q = q.where('tickets.status', 'in', filters.status);
      if (filters.status.every((s) => s !== 'solved' && s !== 'closed')) q = q.where(OPEN_ONLY);
    } else if (queue) {
      q = q.where(OPEN_ONLY);
    }
    if (filters.assigneeId === null) q = q.where('tickets.assigneeId', 'is', null);
    else if (filters.assigneeId !== undefined) q = q.where('tickets.assigneeId', '=', filters.assigneeId);
    if (filters.teamId !== undefined) q = q.where('tickets.teamId', '=', filters.teamId);
    if (filters.category !== undefined) q = q.where('tickets.category', '=', filters.category);
    if (filters.priority?.length) q = q.where('tickets.priority', 'in', filters.priority);
    if (filters.tag !== undefined) q = q.where(sql<SqlBool>`tickets.tags @> ARRAY[${filters.tag}]::text[]`);
    if (filters.customerId !== undefined) q = q.where('tickets.requesterId', '=', filters.customerId);
    if (filters.orderNumber !== undefined) q = q.where('tickets.orderNumber', '=', filters.orderNumber);
    if (filters.channel !== undefined) q = q.where('tickets.channel', '=', filters.channel);
    if (filters.createdFrom) q = q.where('tickets.createdAt', '>=', filters.createdFrom);
    if (filters.createdTo) q = q.where('tickets.createdAt', '<', filters.createdTo);
    if (tsquery !== null && withSearch) q = q.where(matches(tsquery));
    return q;
  };
  const base = (withSearch = true) =>
    filtered(withSearch)
      .select(SUMMARY_COLUMNS)
      .select([micros('created_at').as('createdKey'), micros('next_due_at').as('dueKey')]);

  const want = page.limit + 1;
  const cursor = page.cursor ?? null;
  let rows: Awaited<ReturnType<ReturnType<typeof base>['execute']>>;
  if (!queue) {
    const olderThanCursor = cursor
      ? sql<SqlBool>`(tickets.created_at, tickets.id) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`
      : null;
    rows = [];
    if (tsquery !== null) {
      // The LIMIT keeps the subquery from being flattened: the match filters the window, never the GIN index.
      // The window carries only what the match needs; a page's columns are then read for its rows alone.
      let recent = filtered(false);
      if (olderThanCursor) recent = recent.where(olderThanCursor);
      const hits = await db
        .selectFrom(
          recent
            .select(['tickets.id', 'tickets.createdAt', 'tickets.searchVector'])
            .orderBy('tickets.createdAt', 'desc')
            .orderBy('tickets.id', 'desc')
            .limit(SEARCH_WINDOW)
            .as('recent'),
        )
        .select('recent.id')
        .where(sql<SqlBool>`recent.search_vector @@ ${tsquery}::tsquery`)
        .orderBy('recent.createdAt', 'desc')
        .orderBy('recent.id', 'desc')
        .limit(want)
        .execute();
      if (hits.length === want) {
        rows = await base(false)
          .where(
            'tickets.id',
            'in',
            hits.map((hit) => hit.id),
          )
          .orderBy('tickets.createdAt', 'desc')
          .orderBy('tickets.id', 'desc')
          .execute();
      }
    }
    if (rows.length < want) {
      let q = base();
      if (olderThanCursor) q = q.where(olderThanCursor);
      rows = await q.orderBy('tickets.createdAt', 'desc').orderBy('tickets.id', 'desc').limit(want).execute();
    }
  } else if (!cursor) {
    rows = await base()
      .orderBy(sql`tickets.next_due_at ASC NULLS LAST`)
      .orderBy('tickets.id', 'asc')
      .limit(want)
      .execute();
  } else {
    rows = [];
    if (cursor.key !== null) {
      rows = await base()
        .where(
          sql<SqlBool>`(tickets.next_due_at, tickets.id) > (${cursor.key}::timestamptz, ${cursor.id}::uuid)`,
        )
        .orderBy('tickets.nextDueAt', 'asc')
        .orderBy('tickets.id', 'asc')
        .limit(want)
        .execute();
    }
    if (rows.length < want) {
      let q = base().where('tickets.nextDueAt', 'is', null);
      if (cursor.key === null) q = q.where('tickets.id', '>', cursor.id);
      rows.push(
        ...(await q
          .orderBy('tickets.id', 'asc')
          .limit(want - rows.length)
          .execute()),
      );
    }
  }

  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor({ sort: page.sort, key: queue ? last.dueKey : last.createdKey, id: last.id })
      : null;
  const items = pageRows.map(({ createdKey: _c, dueKey: _d, ...ticket }) => ticket);
  return { items, nextCursor };
}

export type TicketSummaryRow = Awaited<ReturnType<typeof listTickets>>['items'][number];
