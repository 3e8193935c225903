import type { TicketService } from '../tickets/ticket.service.ts';
import { TicketPresenter } from '../tickets/ticket.presenter.ts';
import type { TicketBatchWriter } from './intake.service.ts';

/**
 * Intake's view of the tickets module: its `createManyIn` inside intake's transaction, each created ticket
 * presented as the API shows it (that JSON is also what an idempotent replay returns).
 */
export function ticketWriter(tickets: TicketService, now: () => Date = () => new Date()): TicketBatchWriter {
  return async (tx, actor, inputs) => {
    const results = await tickets.createManyIn(tx, actor, inputs, now());
    const presenter = new TicketPresenter(actor);
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
