import { sql, type Kysely } from 'kysely';
import type { ActorType, Database, TicketMessagesTable, TicketPriority } from '../../db/tables.ts';
import { TICKET_COLUMNS, type TicketRecord } from './ticket.repository.ts';

/** A new ticket with its first message and its `created` history event, as insertNewTickets stores them. */
export interface NewTicketRow {
  id: string;
  number: number;
  subject: string;
  priority: TicketPriority;
  category: string | null;
  categoryConfidence: number | null;
  channel: string;
  tags: string[];
  /** JSON text of the custom fields. */
  fields: string;
  orderNumber: string | null;
  requesterId: string;
  teamId: string | null;
  assigneeId: string | null;
  slaPolicyId: string | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  nextDueAt: Date | null;
  slaWarningAt: Date | null;
  /** tsvector literal (toTsvectorLiteral). */
  searchVector: string;
  message: {
    id: string;
    authorType: TicketMessagesTable['authorType'];
    authorId: string | null;
    visibility: TicketMessagesTable['visibility'];
    body: string;
  };
  event: { id: string; actorType: ActorType; actorId: string | null; action: string; changes: string };
}

/** An array literal of text for PostgreSQL (`{"a","b\"c"}`), so that one text[] per row travels as one element. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** TICKET_COLUMNS as SQL (`category_confidence AS "categoryConfidence"`): the same shape as findById's. */
const RETURNED = sql.raw(
  TICKET_COLUMNS.map((column) => {
    const name = column.slice('tickets.'.length);
    return `${snake(name)} AS "${name}"`;
  }).join(', '),
);

/**
 * Inserts new tickets, their first messages and their `created` events in ONE statement (three data-modifying
 * CTEs over one unnest of column arrays), and returns the tickets as findById would. Against three multi-row
 * INSERTs built by Kysely: two round trips fewer per group-commit batch, and a statement text that does not
 * grow with the batch (22 parameters whatever the number of rows, no per-row query compilation).
 * The message and event rows reference their ticket in the same statement; their foreign-key checks run at
 * its end, when the tickets exist.
 */
export async function insertNewTickets(
  db: Kysely<Database>,
  tenantId: string,
  rows: readonly NewTicketRow[],
  now: Date,
): Promise<TicketRecord[]> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (row: NewTicketRow) => T): T[] => rows.map(pick);
  const result = await sql<TicketRecord>`
    WITH v AS (
      SELECT * FROM unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.number)}::int8[], ${column((r) => r.subject)}::text[],
        ${column((r) => r.priority)}::text[], ${column((r) => r.category)}::text[],
        ${column((r) => r.categoryConfidence)}::float4[], ${column((r) => r.channel)}::text[],
        ${column((r) => textArrayLiteral(r.tags))}::text[], ${column((r) => r.fields)}::text[],
        ${column((r) => r.orderNumber)}::text[], ${column((r) => r.requesterId)}::uuid[],
        ${column((r) => r.teamId)}::uuid[], ${column((r) => r.assigneeId)}::uuid[],
        ${column((r) => r.slaPolicyId)}::uuid[], ${column((r) => r.firstResponseDueAt)}::timestamptz[],
        ${column((r) => r.resolutionDueAt)}::timestamptz[], ${column((r) => r.nextDueAt)}::timestamptz[],
        ${column((r) => r.slaWarningAt)}::timestamptz[], ${column((r) => r.searchVector)}::text[],
        ${column((r) => r.message.id)}::uuid[], ${column((r) => r.message.authorType)}::text[],
        ${column((r) => r.message.authorId)}::uuid[], ${column((r) => r.message.visibility)}::text[],
        ${column((r) => r.message.body)}::text[], ${column((r) => r.event.id)}::uuid[],
        ${column((r) => r.event.actorType)}::text[], ${column((r) => r.event.actorId)}::uuid[],
        ${column((r) => r.event.action)}::text[], ${column((r) => r.event.changes)}::text[]
      ) AS v (id, number, subject, priority, category, category_confidence, channel, tags, fields,
        order_number, requester_id, team_id, assignee_id, sla_policy_id, first_response_due_at,
        resolution_due_at, next_due_at, sla_warning_at, search_vector, message_id, author_type, author_id,
        visibility, body, event_id, actor_type, actor_id, action, changes)
    ), t AS (
      INSERT INTO tickets (tenant_id, id, number, subject, priority, category, category_confidence, channel,
        tags, fields, order_number, requester_id, team_id, assignee_id, sla_policy_id, first_response_due_at,
        resolution_due_at, next_due_at, sla_warning_at, search_vector, created_at, updated_at)
      SELECT ${tenantId}::uuid, v.id, v.number, v.subject, v.priority, v.category, v.category_confidence,
        v.channel, v.tags::text[], v.fields::jsonb, v.order_number, v.requester_id, v.team_id, v.assignee_id,
        v.sla_policy_id, v.first_response_due_at, v.resolution_due_at, v.next_due_at, v.sla_warning_at,
        v.search_vector::tsvector, ${now}::timestamptz, ${now}::timestamptz
      FROM v
      RETURNING ${RETURNED}
    ), m AS (
      INSERT INTO ticket_messages (tenant_id, id, ticket_id, author_type, author_id, visibility, body, created_at)
      SELECT ${tenantId}::uuid, v.message_id, v.id, v.author_type, v.author_id, v.visibility, v.body,
        ${now}::timestamptz
      FROM v
    ), e AS (
      INSERT INTO ticket_events (tenant_id, id, ticket_id, actor_type, actor_id, action, changes, created_at)
      SELECT ${tenantId}::uuid, v.event_id, v.id, v.actor_type, v.actor_id, v.action, v.changes::jsonb,
        ${now}::timestamptz
      FROM v
    )
    SELECT * FROM t`.execute(db);
  return result.rows;
}
