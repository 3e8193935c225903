import { Type, type Static } from '@fastify/type-provider-typebox';
import { Problem } from '../../http/schemas.ts';
import { CreateTicketBody } from '../tickets/ticket.schemas.ts';

/** The most items one batch request may carry. */
export const MAX_BATCH_ITEMS = 500;
/** Largest single item of a batch, as JSON (characters); a bigger one is refused alone (413). */
export const MAX_ITEM_CHARS = 64 * 1024;

/** A channel's own id of the message (e-mail Message-ID, IM message id): doubles as the idempotency key. */
const ExternalMessageId = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' });

// The ticket itself is the tickets module's schema; intake adds only how a retry is recognised.
const ticketFields = { ...CreateTicketBody.properties, externalMessageId: Type.Optional(ExternalMessageId) };

export const IntakeTicketBody = Type.Object(ticketFields, { additionalProperties: false });
export type IntakeTicketBody = Static<typeof IntakeTicketBody>;

/** A batch item: a ticket plus its own optional idempotency key. */
export const BatchItemSchema = Type.Object(
  {
    ...ticketFields,
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
  },
  { additionalProperties: false },
);
export type BatchItem = Static<typeof BatchItemSchema>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
  ),
});

/**
 * Items are validated one by one in the handler (not by the route schema), so that one malformed item is
 * refused alone while the others are taken.
 */
export const BatchBody = Type.Object(
  { items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH_ITEMS }) },
  { additionalProperties: false },
);

export const BatchItemResult = Type.Object({
  index: Type.Integer(),
  status: Type.Integer(),
  replayed: Type.Optional(Type.Boolean()),
  ticket: Type.Optional(Type.Unknown()),
  error: Type.Optional(Problem),
});

export const BatchResponse = Type.Object({
  results: Type.Array(BatchItemResult),
  counts: Type.Object({
    created: Type.Integer(),
    replayed: Type.Integer(),
    failed: Type.Integer(),
  }),
});
