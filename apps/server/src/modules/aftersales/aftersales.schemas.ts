import { Type } from '@fastify/type-provider-typebox';
import { IsoDateTime, Limit, Uuid } from '../../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Text = Type.String({ minLength: 1, maxLength: 500 });

export const PayoutView = Type.Object({
  id: Uuid,
  idempotencyKey: Type.String(),
  purpose: Type.String(),
  kind: Type.String(),
  ticketId: Nullable(Uuid),
  orderId: Nullable(Type.String()),
  orderLineId: Nullable(Type.String()),
  amount: Type.Integer({ description: 'minor units of currency; a count for points' }),
  currency: Nullable(Type.String()),
  reason: Type.String(),
  status: Type.String({ description: 'pending | succeeded | failed' }),
  shopReference: Nullable(Type.String()),
  couponCode: Nullable(Type.String()),
  error: Nullable(Type.String()),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  approvalId: Nullable(Uuid),
  createdAt: IsoDateTime,
  completedAt: Nullable(IsoDateTime),
});

export const ApprovalView = Type.Object({
  id: Uuid,
  kind: Type.String(),
  ticketId: Nullable(Uuid),
  teamId: Nullable(Uuid),
  requestedBy: Nullable(Uuid),
  status: Type.String(),
  amount: Type.Integer(),
  currency: Nullable(Type.String()),
  reason: Type.String(),
  payouts: Type.Array(
    Type.Object({
      kind: Type.String(),
      amount: Type.Integer(),
      currency: Nullable(Type.String()),
      orderId: Nullable(Type.String()),
      orderLineId: Nullable(Type.String()),
    }),
  ),
  decidedBy: Nullable(Uuid),
  decidedAt: Nullable(IsoDateTime),
  decisionNote: Nullable(Type.String()),
  createdAt: IsoDateTime,
});

export const CompensationBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('coupon'), Type.Literal('points'), Type.Literal('store_credit')]),
    amount: Type.Integer({
      minimum: 1,
      maximum: 100_000_000,
      description: 'minor units (fen); points: a count',
    }),
    reason: Text,
    idempotencyKey: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }),
    ),
  },
  { additionalProperties: false },
);

export const CompensationResult = Type.Object({
  status: Type.String({ description: 'succeeded | pending | failed | awaiting_approval' }),
  payout: Nullable(PayoutView),
  approval: Nullable(ApprovalView),
});

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const DecisionResult = Type.Object({ approval: ApprovalView, payouts: Type.Array(PayoutView) });

export const ApprovalQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

const LineView = Type.Object({
  lineId: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  paidUnitPrice: Type.Integer(),
  lowestPrice: Nullable(Type.Integer()),
  lowestPriceKind: Nullable(Type.String()),
  lowestPriceStartsAt: Nullable(Type.String()),
  protectedQuantity: Type.Integer(),
  alreadyPaid: Type.Integer(),
  payable: Type.Integer(),
  outcome: Type.String(),
  skipped: Type.Integer(),
  payoutKey: Nullable(Type.String()),
});

export const PriceProtectionView = Type.Object({
  ticketId: Uuid,
  calculation: Nullable(
    Type.Object({
      outcome: Type.String({
        description:
          'paid | awaiting_approval | rejected | nothing_payable | platform | unsupported | paying | payout_pending | payout_failed',
      }),
      orderId: Type.String(),
      orderNumber: Type.String(),
      payable: Type.Integer(),
      currency: Type.String(),
      lines: Type.Array(LineView),
      calculatedAt: IsoDateTime,
    }),
  ),
  payouts: Type.Array(PayoutView),
  pendingApproval: Nullable(ApprovalView),
});

export const CampaignBody = Type.Object(
  {
    connectionId: Uuid,
    skus: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }),
    since: IsoDateTime,
    scope: Type.Union([Type.Literal('requested'), Type.Literal('all_affected')]),
  },
  { additionalProperties: false },
);

export const CampaignView = Type.Object({
  id: Uuid,
  connectionId: Uuid,
  skus: Type.Array(Type.String()),
  since: IsoDateTime,
  scope: Type.String(),
  status: Type.String({ description: 'running | done | failed' }),
  total: Nullable(Type.Integer()),
  processed: Type.Integer(),
  paid: Type.Integer(),
  awaitingApproval: Type.Integer(),
  failed: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: IsoDateTime,
  finishedAt: Nullable(IsoDateTime),
  items: Type.Array(
    Type.Object({
      orderId: Type.String(),
      orderNumber: Type.String(),
      ticketId: Nullable(Uuid),
      outcome: Type.String(),
      payable: Type.Integer(),
      currency: Nullable(Type.String()),
      error: Nullable(Type.String()),
      completedAt: IsoDateTime,
    }),
  ),
});

const Cap = Type.Object(
  {
    perAction: Type.Object(
      {
        coupon: Type.Integer({ minimum: 0 }),
        store_credit: Type.Integer({ minimum: 0 }),
        points: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    perDay: Type.Object(
      { money: Type.Integer({ minimum: 0 }), points: Type.Integer({ minimum: 0 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const PayoutKindSchema = Type.Union([
  Type.Literal('refund'),
  Type.Literal('coupon'),
  Type.Literal('points'),
  Type.Literal('store_credit'),
]);
const TierLimits = Type.Object(
  {
    regular: Type.Optional(Type.Integer({ minimum: 0 })),
    silver: Type.Optional(Type.Integer({ minimum: 0 })),
    gold: Type.Optional(Type.Integer({ minimum: 0 })),
    black_diamond: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const SettingsSchema = Type.Object(
  {
    priceProtection: Type.Object(
      {
        windowDays: Type.Integer({ minimum: 1, maximum: 365 }),
        excludedKinds: Type.Array(
          Type.Union([
            Type.Literal('list'),
            Type.Literal('campaign'),
            Type.Literal('flash_sale'),
            Type.Literal('member_only'),
          ]),
          { maxItems: 4 },
        ),
        autoPayMaxMinor: Type.Integer({ minimum: 0 }),
        autoPayMaxByTier: TierLimits,
        payoutMethods: Type.Array(PayoutKindSchema, { minItems: 1, maxItems: 4 }),
        pointsPerYuan: Type.Integer({ minimum: 1, maximum: 10_000 }),
        solveTicket: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    compensationCaps: Type.Object(
      {
        admin: Type.Optional(Cap),
        supervisor: Type.Optional(Cap),
        agent: Type.Optional(Cap),
        outsourced_agent: Type.Optional(Cap),
        collaborator: Type.Optional(Cap),
        integration: Type.Optional(Cap),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
