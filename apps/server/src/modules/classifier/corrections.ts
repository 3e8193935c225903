import type { Kysely } from 'kysely';
import type { ActorType, Database } from '../../db/tables.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { isCategory } from './categories.ts';
import {
  countExamplesAfter,
  findLatestTenantModelInfo,
  findTicketText,
  insertExample,
} from './classifier.repository.ts';

/** A tenant's layer is retrained after this many corrections since its last retrain (and on demand). */
export const RETRAIN_AFTER_CORRECTIONS = 10;
export const RETRAIN_TASK = 'classifier.retrain';

/** One retrain job per tenant at a time: a newer request replaces a pending one (graphile-worker job_key). */
export async function enqueueRetrain(db: Kysely<Database>, tenantId: string): Promise<void> {
  await enqueueJob(db, RETRAIN_TASK, { tenantId }, { jobKey: `${RETRAIN_TASK}:${tenantId}`, maxAttempts: 5 });
}

/**
 * A person changed a ticket's category: the ticket's text with the category it should have had becomes a
 * training example, in the caller's transaction (the ticket's history records the change in the same one).
 * After RETRAIN_AFTER_CORRECTIONS new examples a retrain is enqueued, also in that transaction.
 * Changes to no category, or to a code the classifier does not know, teach nothing and are skipped.
 */
export async function recordCorrection(
  tx: Kysely<Database>,
  correction: {
    tenantId: string;
    ticketId: string;
    oldCategory: string | null;
    newCategory: string | null;
    actorType: ActorType;
    actorId: string | null;
  },
  now: Date,
): Promise<void> {
  const { tenantId, ticketId, newCategory } = correction;
  if (!newCategory || !isCategory(newCategory)) return;
  const text = await findTicketText(tx, tenantId, ticketId);
  if (text === null) return;
  await insertExample(tx, {
    ...correction,
    newCategory,
    id: uuidv7(),
    text,
    createdAt: now,
  });
  const latest = await findLatestTenantModelInfo(tx, tenantId);
  const pending = await countExamplesAfter(tx, tenantId, latest?.lastExampleId ?? null);
  if (pending >= RETRAIN_AFTER_CORRECTIONS) await enqueueRetrain(tx, tenantId);
}
