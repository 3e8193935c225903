import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems } from '../../http/schemas.ts';
import { MAX_PATTERN_LENGTH } from '../../lib/safe-pattern.ts';
import { CATEGORIES, type Category } from './categories.ts';
import { ClassifierRulesService } from './classifier-rules.service.ts';

const tags = ['classifier'];
const CategoryCode = Type.Unsafe<Category>(Type.String({ enum: [...CATEGORIES] }));
const Kind = Type.Union([Type.Literal('keyword'), Type.Literal('pattern')]);
const RuleBody = {
  kind: Kind,
  pattern: Type.String({
    minLength: 1,
    maxLength: MAX_PATTERN_LENGTH,
    description:
      'keyword: a case- and width-insensitive substring; pattern: a regular expression (flags iu) without ' +
      'backreferences, nested or ambiguous quantifiers, and at most one unbounded quantifier (else 400 UNSAFE_PATTERN)',
  }),
  category: CategoryCode,
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  enabled: Type.Optional(Type.Boolean()),
};
const RuleView = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  kind: Kind,
  pattern: Type.String(),
  category: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/**
 * /classifier/rules CRUD (classifier:manage, admins): keyword and pattern rules that override the model for
 * the tenant's new tickets and POST /classify, first match by position.
 */
export const classifierRulesRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const rules = new ClassifierRulesService(db, now);
  const config = { permission: 'classifier:manage' as const };

  app.get(
    '/classifier/rules',
    {
      config,
      schema: {
        tags,
        summary: 'Classifier override rules in evaluation order',
        response: { 200: Type.Object({ items: Type.Array(RuleView) }), ...problems(401, 403) },
      },
    },
    async (request) => rules.list(requireActor(request)),
  );
  app.get(
    '/classifier/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One classifier override rule',
        params: IdParams,
        response: { 200: RuleView, ...problems(401, 403, 404) },
      },
    },
    async (request) => rules.get(requireActor(request), request.params.id),
  );
  app.post(
    '/classifier/rules',
    {
      config,
      schema: {
        tags,
        summary: 'Add an override rule (after the last one unless a position is given)',
        body: Type.Object(RuleBody, { additionalProperties: false }),
        response: { 201: RuleView, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await rules.create(requireActor(request), request.body, request.ip)),
  );
  app.patch(
    '/classifier/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an override rule; `version` must be the one you read (412 otherwise)',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            kind: Type.Optional(RuleBody.kind),
            pattern: Type.Optional(RuleBody.pattern),
            category: Type.Optional(RuleBody.category),
            position: RuleBody.position,
            enabled: RuleBody.enabled,
          },
          { additionalProperties: false },
        ),
        response: { 200: RuleView, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body;
      return rules.update(requireActor(request), request.params.id, version, patch, request.ip);
    },
  );
  app.delete(
    '/classifier/rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete an override rule',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await rules.remove(requireActor(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );
};
