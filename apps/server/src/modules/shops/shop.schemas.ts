import { Type, type Static } from '@fastify/type-provider-typebox';

/** TypeBox schemas of /shops and the order panel. Secrets are write-only: no view schema has a field for them. */

const Kind = Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$', description: 'adapter kind, e.g. demo-shop' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const BaseUrl = Type.String({ maxLength: 500, pattern: '^https?://[^\\s/?#]+[^\\s]*$' });
const Credentials = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }),
  Type.String({ maxLength: 2000 }),
  {
    maxProperties: 10,
    description:
      "the kind's credential fields (demo-shop: apiKey; shopify: accessToken; vendure: apiKey, or username " +
      'and password, optional channelToken); write-only',
  },
);
const WebhookSecret = Type.String({ minLength: 8, maxLength: 500, description: 'write-only' });
const Status = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);

export const ShopSettingsSchema = Type.Object(
  {
    cacheTtlSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000 })),
    autoReplyOnShipment: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CreateShopBody = Type.Object(
  {
    kind: Kind,
    name: Name,
    baseUrl: BaseUrl,
    credentials: Credentials,
    webhookSecret: Type.Optional(WebhookSecret),
    settings: Type.Optional(ShopSettingsSchema),
    status: Type.Optional(Status),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateShopBody = Static<typeof CreateShopBody>;

export const PatchShopBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version you read (412 when it changed)' }),
    name: Type.Optional(Name),
    baseUrl: Type.Optional(BaseUrl),
    credentials: Type.Optional(Credentials),
    webhookSecret: Type.Optional(Type.Union([WebhookSecret, Type.Null()])),
    settings: Type.Optional(ShopSettingsSchema),
    status: Type.Optional(Status),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type PatchShopBody = Static<typeof PatchShopBody>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ShopView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  baseUrl: Type.String(),
  settings: ShopSettingsSchema,
  status: Type.String(),
  isDefault: Type.Boolean(),
  hasWebhookSecret: Type.Boolean(),
  /** Where the shop must send its signed events. */
  webhookPath: Type.String(),
  lastTestedAt: NullableString,
  lastTestError: NullableString,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

export const ShopTestResult = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Integer(),
  platform: Type.Optional(Type.String()),
  capabilities: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

const Failure = Type.Object({ code: Type.String(), message: Type.String() });

export const OrderPanelView = Type.Object({
  ticketId: Type.String(),
  orderNumber: NullableString,
  state: Type.Union(
    [
      Type.Literal('ok'),
      Type.Literal('stale'),
      Type.Literal('not_linked'),
      Type.Literal('no_shop'),
      Type.Literal('not_found'),
      Type.Literal('unavailable'),
    ],
    {
      description:
        'ok: from the shop or the cache; stale: the shop could not answer, this is the last snapshot; ' +
        'not_linked: the ticket names no order; no_shop: no shop connected; not_found: the shop has no such ' +
        'order; unavailable: the shop could not answer and no snapshot is stored',
    },
  ),
  connection: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
    Type.Null(),
  ]),
  order: Type.Union([
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        'the normalised Order of @peakdesk/commerce: lines, totals, payments with refunds, shipments with ' +
        'tracking events, after-sales (money in minor units)',
    }),
    Type.Null(),
  ]),
  source: Type.Union([Type.Literal('shop'), Type.Literal('cache'), Type.Literal('snapshot'), Type.Null()]),
  stale: Type.Boolean(),
  fetchedAt: NullableString,
  ageSeconds: Type.Union([Type.Integer(), Type.Null()]),
  failure: Type.Optional(Failure),
});

export const CustomerContextView = Type.Object({
  customer: Type.Object({ id: Type.String(), name: Type.String() }),
  tickets: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      subject: Type.String(),
      status: Type.String(),
      orderNumber: NullableString,
      createdAt: Type.String(),
    }),
  ),
  orders: Type.Union([
    Type.Object({
      items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
      stale: Type.Boolean(),
      failure: Type.Optional(Failure),
    }),
    Type.Null(),
  ]),
});
