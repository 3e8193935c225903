import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError, toProblem } from '../../errors.ts';
import type { Actor } from '../access/permissions.ts';
import { prepareNewTicket, type NewTicketInput, type TicketAnalysis } from '../tickets/new-ticket.ts';
import { analyseNewTicket } from '../tickets/new-ticket-decisions.ts';
import { withOrderFromText } from '../shops/order-intake.ts';
import { TICKET_CREATED } from './follow-up.sweep.ts';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.ts';
import { decide, requestHash } from './idempotency.ts';
import {
  findKeys,
  insertKeysAndJobs,
  keyId,
  lockKeys,
  type KeyRef,
  type NewOutboxJob,
} from './intake.repository.ts';

/** A concurrent request stored one of the batch's keys first: roll back and retry (it is then replayed). */
class KeyRaceError extends Error {}
const KEY_RACE_RETRIES = 3;

/** One created ticket as the writer reports it: the JSON the client sees, and what follow-up jobs need. */
export type WrittenTicket =
  { ok: true; ticketId: string; requesterId: string; view: unknown } | { ok: false; error: AppError };

/**
 * Writes N tickets inside the caller's transaction (the tickets module's `createManyInTransaction`): the
 * intake owns the transaction so that idempotency keys and outbox jobs commit with the tickets.
 */
export type TicketBatchWriter = (
  tx: Kysely<Database>,
  actor: Actor,
  inputs: NewTicketInput[],
  /** Per input, its classification and language, computed before the transaction. */
  analyses: TicketAnalysis[],
) => Promise<WrittenTicket[]>;

/** The answer to one intake item: what the single route sends, and one entry of the batch route. */
export interface IntakeOutcome {
  status: number;
  body: unknown;
  /** True when this answer is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

interface IntakeItem {
  actor: Actor;
  input: NewTicketInput;
  /** Made when the item is validated, so the batch transaction does not hold its connection for it. */
  analysis: TicketAnalysis;
  key: string | null;
  hash: string;
}

const INSTANCE = '/api/v1/tickets';

function problemOutcome(error: AppError): IntakeOutcome {
  return { status: error.status, body: toProblem(error, INSTANCE), replayed: false };
}

/**
 * An error inside a batch transaction that is caused by one item's data (constraint, bad value) or by a
 * conflict with a concurrent batch (deadlock, serialization): the group committer bisects the batch and
 * retries the halves. Anything else (connection lost, database shutting down) fails the batch: 503.
 */
export function isItemError(error: unknown): boolean {
  if (error instanceof AppError) return error.status < 500;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.length !== 5) return false;
  return code.startsWith('22') || code.startsWith('23') || code === '40P01' || code === '40001';
}

export interface IntakeOptions extends Pick<
  GroupCommitOptions<unknown, unknown>,
  'maxBatchSize' | 'maxConcurrentCommits' | 'maxQueued' | 'maxWaitMs'
> {
  now?: () => Date;
  /**
   * After a batch committed: the JSON of the tickets it created, once per tenant of the batch (live updates;
   * never called for a rolled-back batch). Must not throw.
   */
  onCommitted?: (tenantId: string, tickets: CreatedTicketView[]) => void;
}

/** The fields of a created ticket's JSON that onCommitted passes on. */
export interface CreatedTicketView {
  id: string;
  number: number;
  teamId: string | null;
  assigneeId: string | null;
  status: string;
  priority: string;
  category: string | null;
}

/**
 * Takes tickets from every channel: validates each before it joins a batch, then group-commits them with
 * their idempotency keys and follow-up jobs. Callers get an outcome per item, never an exception for an
 * item's own fault; infrastructure errors (database down, queue full) are thrown for the route to answer 503.
 */
export class IntakeService {
  readonly committer: GroupCommitter<IntakeItem, IntakeOutcome>;
  private readonly now: () => Date;
  private readonly onCommitted: IntakeOptions['onCommitted'];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly writer: TicketBatchWriter,
    options: IntakeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.onCommitted = options.onCommitted;
    this.committer = new GroupCommitter<IntakeItem, IntakeOutcome>({
      commit: (items) => this.commitBatch(items),
      isItemError,
      maxBatchSize: options.maxBatchSize,
      maxConcurrentCommits: options.maxConcurrentCommits,
      maxQueued: options.maxQueued,
      maxWaitMs: options.maxWaitMs,
    });
  }

  /** Creates one ticket (or replays the answer stored under `key`). */
  async submit(actor: Actor, input: NewTicketInput, key: string | null): Promise<IntakeOutcome> {
    // A ticket about an order (quoted in the text, or just an order number and no customer): shops enrich it
    // after the commit. The idempotency hash stays that of what the client sent.
    const quoted = withOrderFromText(input);
    const prepared = prepareNewTicket(quoted);
    if (prepared instanceof AppError) return problemOutcome(prepared);
    try {
      const analysis = analyseNewTicket(prepared);
      return await this.committer.submit({ actor, input: quoted, analysis, key, hash: requestHash(input) });
    } catch (error) {
      // A poison item that a bisected batch isolated: its own fault, answered like a validation error.
      if (error instanceof AppError && error.status < 500) return problemOutcome(error);
      throw error;
    }
  }

  /** Waits until every queued item is committed; new items are refused meanwhile (shutdown). */
  drain(): Promise<void> {
    return this.committer.drain();
  }

  /** One transaction for the whole batch, retried when it lost a key to a concurrent request. */
  private async commitBatch(items: readonly IntakeItem[]): Promise<IntakeOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.commitOnce(items);
      } catch (error) {
        if (!(error instanceof KeyRaceError) || attempt >= KEY_RACE_RETRIES) throw error;
      }
    }
  }

  /**
   * A constant number of statements whatever the batch size: lock the batch's keys and look them up
   * (committed ones are replayed or refused), write the tickets, store the new keys with their answers, add
   * the outbox jobs.
   */
  private async commitOnce(items: readonly IntakeItem[]): Promise<IntakeOutcome[]> {
    const now = this.now();
    const created = new Map<string, CreatedTicketView[]>();
    const outcomes = await this.db.transaction().execute(async (tx) => {
      const outcomes: (IntakeOutcome | undefined)[] = new Array<IntakeOutcome | undefined>(items.length);
      // Two items of one batch with the same key: the first leads, the others follow its answer.
      const leaders = new Map<string, number>();
      const followers = new Set<number>();
      const keyed: KeyRef[] = [];
      items.forEach((item, index) => {
        if (item.key === null) return;
        const id = keyId({ tenantId: item.actor.tenantId, key: item.key });
        if (leaders.has(id)) followers.add(index);
        else {
          leaders.set(id, index);
          keyed.push({ tenantId: item.actor.tenantId, key: item.key });
        }
      });
      await lockKeys(tx, keyed);
      const stored = await findKeys(tx, keyed);
      for (const [id, row] of stored) {
        const index = leaders.get(id)!;
        const decision = decide(
          row.status === null
            ? { kind: 'absent' }
            : { kind: 'stored', requestHash: row.requestHash, status: row.status, response: row.response },
          items[index]!.hash,
        );
        if (decision.action === 'replay') {
          outcomes[index] = { status: decision.status, body: decision.response, replayed: true };
        } else if (decision.action === 'reject') {
          outcomes[index] = problemOutcome(new AppError('IDEMPOTENCY_KEY_REUSED'));
        }
      }

      // Everything not answered yet and not a follower is created, grouped by actor.
      const groups = new Map<string, number[]>();
      items.forEach((item, index) => {
        if (outcomes[index] || followers.has(index)) return;
        const group = `${item.actor.tenantId}/${item.actor.kind}/${item.actor.id}`;
        const list = groups.get(group);
        if (list) list.push(index);
        else groups.set(group, [index]);
      });
      const jobs: NewOutboxJob[] = [];
      for (const indexes of groups.values()) {
        const actor = items[indexes[0]!]!.actor;
        const written = await this.writer(
          tx,
          actor,
          indexes.map((i) => items[i]!.input),
          indexes.map((i) => items[i]!.analysis),
        );
        indexes.forEach((itemIndex, position) => {
          const result = written[position];
          if (!result) throw new Error('the ticket writer returned fewer results than inputs');
          if (result.ok) {
            outcomes[itemIndex] = { status: 201, body: result.view, replayed: false };
            const list = created.get(actor.tenantId);
            if (list) list.push(result.view as CreatedTicketView);
            else created.set(actor.tenantId, [result.view as CreatedTicketView]);
            jobs.push({
              tenantId: actor.tenantId,
              kind: TICKET_CREATED,
              ticketId: result.ticketId,
              payload: {
                ticketId: result.ticketId,
                requesterId: result.requesterId,
                // The follow-up sweep hands tickets that quote an order to shops.enrich-ticket.
                ...(items[itemIndex]!.input.orderNumber
                  ? { orderNumber: items[itemIndex]!.input.orderNumber }
                  : {}),
              },
            });
          } else outcomes[itemIndex] = problemOutcome(result.error);
        });
      }

      const newKeys = [...leaders.entries()]
        .filter(([id]) => !stored.has(id))
        .map(([, index]) => {
          const item = items[index]!;
          const outcome = outcomes[index]!;
          const ticketId =
            outcome.status === 201 ? ((outcome.body as { id?: string } | null)?.id ?? null) : null;
          return {
            tenantId: item.actor.tenantId,
            key: item.key!,
            requestHash: item.hash,
            ticketId,
            status: outcome.status,
            response: outcome.body,
          };
        });
      if ((await insertKeysAndJobs(tx, newKeys, jobs, now)) < newKeys.length) throw new KeyRaceError();

      for (const index of followers) {
        const item = items[index]!;
        const leaderIndex = leaders.get(keyId({ tenantId: item.actor.tenantId, key: item.key! }))!;
        const leader = items[leaderIndex]!;
        const answer = outcomes[leaderIndex]!;
        outcomes[index] =
          leader.hash === item.hash
            ? { ...answer, replayed: true }
            : problemOutcome(new AppError('IDEMPOTENCY_KEY_REUSED'));
      }
      return outcomes as IntakeOutcome[];
    });
    // Committed: one notice per tenant of the batch, not one per ticket.
    if (this.onCommitted) for (const [tenantId, views] of created) this.onCommitted(tenantId, views);
    return outcomes;
  }
}
