import type { TicketStatus } from '../../db/tables.ts';

/** The JSON a customer sees: ISO times, the ticket number as a number, nothing agent-only. */

interface TicketRow {
  id: string;
  number: string | number;
  subject: string;
  status: TicketStatus;
  orderNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface MessageRow {
  id: string;
  authorType: 'customer' | 'agent' | 'system';
  body: string;
  createdAt: Date;
}

export function presentTicketSummary(row: TicketRow) {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    orderNumber: row.orderNumber,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentMessage(row: MessageRow) {
  return { id: row.id, authorType: row.authorType, body: row.body, createdAt: row.createdAt.toISOString() };
}

export function presentTicket(row: TicketRow & { messages: MessageRow[] }) {
  return { ...presentTicketSummary(row), messages: row.messages.map(presentMessage) };
}
