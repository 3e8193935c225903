import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { autocommitNumbers } from '../tickets/ticket.repository.ts';
import type { TicketService } from '../tickets/ticket.service.ts';
import { TicketPresenter } from '../tickets/ticket.presenter.ts';
import type { TicketBatchWriter } from './intake.service.ts';

/**
 * Intake's view of the tickets module: its `createManyIn` inside intake's transaction, each created ticket
 * presented as the API shows it (that JSON is also what an idempotent replay returns). Ticket numbers are taken
 * on the pool (`db`), outside the batch transaction: the tenant's counter row would otherwise serialise every
 * batch of a tenant up to its COMMIT. A batch that rolls back leaves a gap in the numbers.
 */
export function ticketWriter(
  tickets: TicketService,
  db: Kysely<Database>,
  now: () => Date = () => new Date(),
): TicketBatchWriter {
  const numbers = autocommitNumbers(db);
  return async (tx, actor, inputs, analyses) => {
    const at = now();
    const results = await tickets.createManyIn(tx, actor, inputs, at, numbers, analyses);
    // The SLA state is judged at the same instant the due times were computed from.
    const presenter = new TicketPresenter(actor, at);
    return results.map((result) =>
      result.ok
        ? {
            ok: true as const,
            ticketId: result.ticket.id,
            requesterId: result.ticket.requesterId,
            view: presenter.ticket(result.ticket),
          }
        : result,
    );
  };
}
