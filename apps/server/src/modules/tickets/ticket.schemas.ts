import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { IsoDateTime, Uuid } from '../../http/schemas.ts';

/** TypeBox schemas of the ticket API: inputs are strict (no unknown properties), outputs mirror the presenter. */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['web', 'email', 'api', 'im', 'phone', 'platform'] as const;
export const DEPARTMENTS = ['warehouse', 'logistics', 'purchasing'] as const;

export const Status = literals(STATUSES);
export const Priority = literals(PRIORITIES);
export const ChannelSchema = literals(CHANNELS);
export const DepartmentSchema = literals(DEPARTMENTS);

const Tag = Type.String({ minLength: 1, maxLength: 50 });
const Tags = Type.Array(Tag, { maxItems: 30 });
const Fields = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 });
const OrderNumber = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Subject = Type.String({ minLength: 1, maxLength: 200 });
const Body = Type.String({ minLength: 1, maxLength: 50_000 });
const Category = Type.String({ minLength: 1, maxLength: 64 });

export const CreateTicketBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    body: Body,
    channel: ChannelSchema,
    customer: Type.Object(
      {
        name: Type.Optional(Type.String({ maxLength: 200 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        phone: Type.Optional(Type.String({ maxLength: 40 })),
        platform: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
      },
      { additionalProperties: false },
    ),
    orderNumber: Type.Optional(OrderNumber),
    priority: Type.Optional(Priority),
    tags: Type.Optional(Tags),
    fields: Type.Optional(Fields),
    teamId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const PatchTicketBody = Type.Object(
  {
    status: Type.Optional(Status),
    priority: Type.Optional(Priority),
    assigneeId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Tags),
    category: Type.Optional(Nullable(Category)),
    fields: Type.Optional(Fields),
    subject: Type.Optional(Subject),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListTicketsQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Status, { maxItems: 6 })),
    assigneeId: Type.Optional(Type.Union([Uuid, Type.Literal('me'), Type.Literal('none')])),
    teamId: Type.Optional(Uuid),
    category: Type.Optional(Category),
    priority: Type.Optional(Type.Array(Priority, { maxItems: 4 })),
    tag: Type.Optional(Tag),
    customerId: Type.Optional(Uuid),
    orderNumber: Type.Optional(OrderNumber),
    channel: Type.Optional(ChannelSchema),
    createdFrom: Type.Optional(IsoDateTime),
    createdTo: Type.Optional(IsoDateTime),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sort: Type.Optional(Type.Union([Type.Literal('-createdAt'), Type.Literal('nextDueAt')])),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const AddMessageBody = Type.Object(
  { body: Body, visibility: literals(['public', 'internal'] as const) },
  { additionalProperties: false },
);

export const CustomerMessageBody = Type.Object(
  {
    body: Body,
    externalMessageId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The channel’s id of the message; a retry with the same id returns the first message',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MergeBody = Type.Object(
  { targetId: Uuid, force: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ShareBody = Type.Object({ department: DepartmentSchema }, { additionalProperties: false });
// The department in a DELETE path is matched against the ticket's shares, not validated as an enum: a
// department the ticket is not shared with (or no department at all) is simply not found.
export const ShareParams = Type.Object({
  id: Uuid,
  department: Type.String({ minLength: 1, maxLength: 40 }),
});

const Sla = Type.Object({
  firstResponseDueAt: Nullable(Type.String()),
  nextResponseDueAt: Nullable(Type.String()),
  resolutionDueAt: Nullable(Type.String()),
  nextDueAt: Nullable(Type.String()),
  state: Type.Union(
    [
      Type.Literal('ok'),
      Type.Literal('warning'),
      Type.Literal('breached'),
      Type.Literal('paused'),
      Type.Literal('none'),
    ],
    {
      description:
        'ok, warning (warningRatio of the target gone), breached, paused (waiting on the customer), none',
    },
  ),
});

const summaryProperties = {
  id: Type.String(),
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  category: Nullable(Type.String()),
  categoryConfidence: Nullable(
    Type.Number({ description: 'How sure the classifier was, 0–1 (null once set by hand)' }),
  ),
  channel: Type.String(),
  tags: Type.Array(Type.String()),
  orderNumber: Nullable(Type.String()),
  requesterId: Type.String(),
  assigneeId: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  sla: Sla,
  firstRespondedAt: Nullable(Type.String()),
  solvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
};

export const TicketSummaryView = Type.Object(summaryProperties);
export const TicketView = Type.Object({
  ...summaryProperties,
  fields: Type.Record(Type.String(), Type.Unknown()),
});

export const MessageView = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  authorType: Type.String(),
  authorId: Nullable(Type.String()),
  visibility: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
});

export const ShareView = Type.Object({
  department: Type.String(),
  sharedBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

const Address = Type.Object({
  name: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  province: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  district: Type.Optional(Type.String()),
  line1: Type.Optional(Type.String()),
  postalCode: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
});

export const TicketDetailView = Type.Object({
  ...TicketView.properties,
  requester: Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    tier: Type.Integer(),
    address: Nullable(Address),
  }),
  messages: Type.Array(MessageView),
  shares: Type.Array(ShareView),
});

export const EventView = Type.Object({
  id: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  action: Type.String(),
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  createdAt: Type.String(),
});
