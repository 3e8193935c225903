import type { Channel, TicketPriority } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { identityKeys, type CustomerContact, type IdentityKey } from '../customers/customer-identity.ts';

/** One ticket to create, as an HTTP request, an importer or the intake pipeline describes it. */
export interface NewTicketInput {
  /** Defaults to the start of the body. */
  subject?: string | null;
  /** The customer's first message. */
  body: string;
  channel: Channel;
  /** At least one identity (platform + externalId, email or phone) is required. */
  customer: CustomerContact;
  orderNumber?: string | null;
  priority?: TicketPriority;
  tags?: string[];
  fields?: Record<string, unknown>;
  /** Defaults to none; an outsourced agent's ticket defaults to its first team. */
  teamId?: string | null;
}

/** What the text of a new ticket says: pure CPU work, done before the batch transaction when possible. */
export interface TicketAnalysis {
  category: string;
  confidence: number;
  language: string | null;
}

/** A validated, normalised NewTicketInput. */
export interface PreparedTicket {
  subject: string;
  body: string;
  channel: Channel;
  customer: CustomerContact;
  /** The contact's strongest identity, for ordering customer work within a batch. */
  identity: IdentityKey;
  orderNumber: string | null;
  priority: TicketPriority;
  tags: string[];
  fields: Record<string, unknown>;
  teamId: string | null;
  /** Computed by the caller outside the transaction (intake); else decideNewTickets computes it. */
  analysis?: TicketAnalysis;
}

export const SUBJECT_FROM_BODY_CHARS = 60;

/** The first ~60 characters of the body on one line, with an ellipsis when cut. */
export function subjectFromBody(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  // Past the first SUBJECT_FROM_BODY_CHARS code points (a pair of surrogates is one), without spreading a
  // long body into an array of characters for every new ticket.
  let end = 0;
  for (let n = 0; n < SUBJECT_FROM_BODY_CHARS && end < line.length; n++) {
    const unit = line.charCodeAt(end);
    const pair = unit >= 0xd800 && unit <= 0xdbff && end + 1 < line.length && isLowSurrogate(line, end + 1);
    end += pair ? 2 : 1;
  }
  if (end >= line.length) return line;
  return `${line.slice(0, end).trimEnd()}…`;
}

function isLowSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  return unit >= 0xdc00 && unit <= 0xdfff;
}

// PostgreSQL stores neither NUL in text nor unpaired surrogates in jsonb.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a value holds text PostgreSQL cannot store; checked before writing so that such input is a 400. */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (depth > 32) return true;
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some((v) => hasUnstorableText(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || hasUnstorableText(v, depth + 1));
  }
  return false;
}

function invalid(field: string, detail: string): AppError {
  return new AppError('VALIDATION_FAILED', detail, { extra: { field } });
}

/** Trims tags, drops empty ones and duplicates, keeping the first spelling's order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

/** Validates and normalises one input; returns the error for that item instead of throwing. */
export function prepareNewTicket(input: NewTicketInput): PreparedTicket | AppError {
  if (hasUnstorableText(input))
    return invalid('body', 'The ticket contains characters that cannot be stored');
  const body = input.body.trim();
  if (!body) return invalid('body', 'The message body is empty');
  const subject = input.subject?.replace(/\s+/g, ' ').trim() || subjectFromBody(body);
  const [identity] = identityKeys(input.customer);
  if (!identity) {
    return invalid(
      'customer',
      'Name the customer by at least one of: email, phone, or platform with externalId',
    );
  }
  return {
    subject,
    body,
    channel: input.channel,
    customer: input.customer,
    identity,
    orderNumber: input.orderNumber?.trim() || null,
    priority: input.priority ?? 'normal',
    tags: normaliseTags(input.tags ?? []),
    fields: input.fields ?? {},
    teamId: input.teamId ?? null,
  };
}

/** Orders batch items so that concurrent batches claim customer identities in one global order. */
export function compareIdentity(a: IdentityKey, b: IdentityKey): number {
  const ka = `${a.kind}\u0000${a.value}`;
  const kb = `${b.kind}\u0000${b.value}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
