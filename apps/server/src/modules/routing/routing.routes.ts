import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems, Uuid } from '../../http/schemas.ts';
import { RoutingService } from './routing.service.ts';

const tags = ['routing'];
const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]);
const Condition = Type.Object(
  {
    field: Type.String({
      maxLength: 80,
      description:
        'category, channel, platform, language, priority, customerTier, orderAmount (minor units), tags, subject, body, text, timeOfDay (HH:MM), weekday (0–6), fields.<name>',
    }),
    op: Type.Union([
      Type.Literal('eq'),
      Type.Literal('in'),
      Type.Literal('gte'),
      Type.Literal('lte'),
      Type.Literal('contains'),
      Type.Literal('matches'),
    ]),
    value: Type.Union([
      Scalar,
      Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { maxItems: 100 }),
    ]),
  },
  { additionalProperties: false },
);
const Conditions = Type.Object(
  {
    all: Type.Optional(Type.Array(Condition, { maxItems: 30 })),
    any: Type.Optional(Type.Array(Condition, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
const Priority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);
const Actions = Type.Object(
  {
    teamId: Type.Optional(Uuid),
    priority: Type.Optional(Priority),
    addTags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
    slaPolicyId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
const RuleBody = {
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  enabled: Type.Optional(Type.Boolean()),
  stopProcessing: Type.Optional(Type.Boolean()),
  conditions: Conditions,
  actions: Actions,
};
const RuleView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  position: Type.Integer(),
  enabled: Type.Boolean(),
  stopProcessing: Type.Boolean(),
  conditions: Type.Unknown(),
  actions: Type.Unknown(),
  version: Type.Integer(),
  updatedAt: Type.String(),
});
const Sample = Type.Object(
  {
    category: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    channel: Type.Optional(Type.String({ maxLength: 20 })),
    platform: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    language: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    priority: Type.Optional(Priority),
    customerTier: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    orderAmount: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })),
    subject: Type.Optional(Type.String({ maxLength: 500 })),
    body: Type.Optional(Type.String({ maxLength: 20_000 })),
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
  },
  { additionalProperties: false },
);
const Due = Type.Union([Type.String(), Type.Null()]);
const TestResult = Type.Object({
  rules: Type.Array(
    Type.Object({
      ruleId: Type.String(),
      name: Type.String(),
      matched: Type.Boolean(),
      skipped: Type.Union([Type.String(), Type.Null()]),
      conditions: Type.Array(
        Type.Object({
          field: Type.String(),
          op: Type.String(),
          value: Type.Unknown(),
          passed: Type.Boolean(),
          reason: Type.String(),
        }),
      ),
    }),
  ),
  decision: Type.Object({
    teamId: Type.Union([Type.String(), Type.Null()]),
    priority: Type.String(),
    tags: Type.Array(Type.String()),
    slaPolicyId: Type.Union([Type.String(), Type.Null()]),
    assigneeId: Type.Union([Type.String(), Type.Null()]),
    firstResponseDueAt: Due,
    resolutionDueAt: Due,
    nextDueAt: Due,
  }),
  evaluatedAt: Type.String(),
});

/** /routing/rules CRUD and POST /routing/test (routing:manage). */
export const routingRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const routing = new RoutingService(db, now);
  const config = { permission: 'routing:manage' as const };

  app.get(
    '/routing/rules',
    {
      config,
      schema: {
        tags,
        summary: 'Routing rules in evaluation order',
        response: { 200: Type.Object({ items: Type.Array(RuleView) }), ...problems(401, 403) },
      },
    },
    async (request) => routing.list(requireActor(request)),
  );
  app.get(
    '/routing/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One routing rule',
        params: IdParams,
        response: { 200: RuleView, ...problems(401, 403, 404) },
      },
    },
    async (request) => routing.get(requireActor(request), request.params.id),
  );
  app.post(
    '/routing/rules',
    {
      config,
      schema: {
        tags,
        summary: 'Create a routing rule (appended after the last one unless a position is given)',
        body: Type.Object(RuleBody, { additionalProperties: false }),
        response: { 201: RuleView, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await routing.create(requireActor(request), request.body, request.ip)),
  );
  app.patch(
    '/routing/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a routing rule; `version` must be the one you read (412 otherwise)',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            name: Type.Optional(RuleBody.name),
            position: RuleBody.position,
            enabled: RuleBody.enabled,
            stopProcessing: RuleBody.stopProcessing,
            conditions: Type.Optional(Conditions),
            actions: Type.Optional(Actions),
          },
          { additionalProperties: false },
        ),
        response: { 200: RuleView, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body;
      return routing.update(requireActor(request), request.params.id, version, patch, request.ip);
    },
  );
  app.delete(
    '/routing/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a routing rule',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await routing.remove(requireActor(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/routing/test',
    {
      config,
      schema: {
        tags,
        summary: 'Which rules match a sample ticket and why, and the resulting decision and due times',
        body: Sample,
        response: { 200: TestResult, ...problems(400, 401, 403) },
      },
    },
    async (request) => routing.test(requireActor(request), request.body),
  );
};
