import { Type } from '@fastify/type-provider-typebox';
import { IsoDateTime, Uuid } from '../../http/schemas.ts';

/** TypeBox schemas of the customer portal: strict inputs, and outputs that carry nothing agent-only. */

const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('on_hold'),
  Type.Literal('solved'),
  Type.Literal('closed'),
]);

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });

export const TenantParams = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
});

export const OpenTicketBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Email),
    phone: Type.Optional(Type.String({ minLength: 5, maxLength: 40, pattern: '^\\+?[0-9][0-9 ()-]{3,38}$' })),
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
    orderNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false, description: 'Give an email address, a phone number or both' },
);

export const AccessLinkBody = Type.Object({ email: Email }, { additionalProperties: false });

export const ReplyBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);

export const PortalMessage = Type.Object({
  id: Uuid,
  authorType: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('system')]),
  body: Type.String(),
  createdAt: IsoDateTime,
});

export const PortalTicketSummary = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: Status,
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const PortalTicket = Type.Object({
  ...PortalTicketSummary.properties,
  messages: Type.Array(PortalMessage),
});

export const OpenedTicket = Type.Object({
  accessToken: Type.String({ description: 'Send as X-Portal-Token; shown once, covers this ticket' }),
  expiresAt: IsoDateTime,
  ticket: PortalTicket,
});

export const PortalSessionView = Type.Object({
  tenant: Type.Object({ slug: Type.String(), name: Type.String() }),
  customer: Type.Object({ name: Type.String() }),
  scope: Type.Union([Type.Literal('ticket'), Type.Literal('customer')]),
  ticketId: Type.Union([Uuid, Type.Null()]),
  expiresAt: IsoDateTime,
});

export const PortalTicketList = Type.Object({ items: Type.Array(PortalTicketSummary) });
