import type { FieldChange } from '../../db/tables.ts';
import { seesMaskedPii, type Actor } from '../access/permissions.ts';
import { slaDisplayState } from '../sla/sla-lifecycle.ts';
import { maskAddress, maskEmail, maskPhone, maskPiiInText } from '../access/masking.ts';
import type { TicketSummaryRow } from './ticket-list.query.ts';
import type {
  EventRecord,
  MessageRecord,
  ShareRecord,
  TicketDetailRecord,
  TicketRecord,
} from './ticket.repository.ts';

/** The JSON shape of tickets as users see them; PII is masked here for roles that see it masked. */
export class TicketPresenter {
  private readonly masked: boolean;

  /** `now` is the instant the SLA state is judged at (the request's clock). */
  constructor(
    actor: Pick<Actor, 'role'>,
    private readonly now: Date = new Date(),
  ) {
    this.masked = seesMaskedPii(actor);
  }

  private text(value: string): string {
    return this.masked ? maskPiiInText(value) : value;
  }

  summary(row: TicketSummaryRow | TicketRecord) {
    return {
      id: row.id,
      number: Number(row.number),
      subject: this.text(row.subject),
      status: row.status,
      priority: row.priority,
      category: row.category,
      categoryConfidence: row.categoryConfidence,
      channel: row.channel,
      tags: row.tags,
      orderNumber: row.orderNumber,
      requesterId: row.requesterId,
      assigneeId: row.assigneeId,
      teamId: row.teamId,
      mergedIntoId: row.mergedIntoId,
      sla: {
        firstResponseDueAt: iso(row.firstResponseDueAt),
        nextResponseDueAt: iso(row.nextResponseDueAt),
        resolutionDueAt: iso(row.resolutionDueAt),
        nextDueAt: iso(row.nextDueAt),
        state: slaDisplayState(row, this.now),
      },
      firstRespondedAt: iso(row.firstRespondedAt),
      solvedAt: iso(row.solvedAt),
      closedAt: iso(row.closedAt),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      version: row.version,
    };
  }

  ticket(row: TicketRecord) {
    return { ...this.summary(row), fields: row.fields };
  }

  message(row: MessageRecord) {
    return {
      id: row.id,
      ticketId: row.ticketId,
      authorType: row.authorType,
      authorId: row.authorId,
      visibility: row.visibility,
      body: this.text(row.body),
      createdAt: row.createdAt.toISOString(),
    };
  }

  share(row: ShareRecord) {
    return { department: row.department, sharedBy: row.sharedBy, createdAt: row.createdAt.toISOString() };
  }

  detail(detail: TicketDetailRecord) {
    const { requester } = detail;
    return {
      ...this.ticket(detail.ticket),
      requester: {
        id: requester.id,
        name: requester.name,
        email: requester.email && this.masked ? maskEmail(requester.email) : requester.email,
        phone: requester.phone && this.masked ? maskPhone(requester.phone) : requester.phone,
        tier: requester.tier,
        address: requester.address && this.masked ? maskAddress(requester.address) : requester.address,
      },
      messages: detail.messages.map((m) => this.message(m)),
      shares: detail.shares.map((s) => this.share(s)),
    };
  }

  event(row: EventRecord) {
    return {
      id: row.id,
      actor: { type: row.actorType, id: row.actorId },
      action: row.action,
      changes: row.changes.map((c) => this.change(c)),
      createdAt: row.createdAt.toISOString(),
    };
  }

  private change(change: FieldChange): FieldChange {
    if (!this.masked) return change;
    const mask = (v: unknown) => (typeof v === 'string' ? maskPiiInText(v) : v);
    return { field: change.field, before: mask(change.before), after: mask(change.after) };
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

export type TicketView = ReturnType<TicketPresenter['ticket']>;
export type TicketDetailView = ReturnType<TicketPresenter['detail']>;
