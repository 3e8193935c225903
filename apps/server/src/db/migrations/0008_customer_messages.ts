import { sql, type Kysely } from 'kysely';

/**
 * Customer follow-ups arrive from channels and integrations that retry. The channel's own message id is
 * stored so that a retry finds the message it already added instead of adding it twice; unique per ticket
 * (a channel's ids are only unique within its conversation) and only where one was given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE ticket_messages ADD COLUMN external_id text`.execute(db);
  await sql`
    CREATE UNIQUE INDEX ticket_messages_external_idx ON ticket_messages (tenant_id, ticket_id, external_id)
    WHERE external_id IS NOT NULL`.execute(db);
}
