import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems } from '../../http/schemas.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { readTenantConfig } from '../routing/routing-decision.ts';
import type { TenantConfigCache } from '../routing/tenant-config.cache.ts';
import { CATEGORIES, type Category } from './categories.ts';
import { countExamplesAfter, findLatestTenantModelInfo } from './classifier.repository.ts';
import { enqueueRetrain, RETRAIN_AFTER_CORRECTIONS } from './corrections.ts';
import type { Model } from './model.ts';
import { classifyForTenant, NO_TENANT_CLASSIFIER } from './tenant-classifier.ts';

const tags = ['classifier'];
const Classification = Type.Object({
  category: Type.Unsafe<Category>(Type.String({ enum: [...CATEGORIES] })),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  explanation: Type.Array(Type.String(), {
    description: 'The rule that decided, or the features of the text that pushed the decision most',
  }),
  rule: Type.Union(
    [
      Type.Object({
        ruleId: Type.String(),
        kind: Type.String(),
        pattern: Type.String(),
        matched: Type.String(),
      }),
      Type.Null(),
    ],
    { description: "The tenant's override rule that matched (the model was not asked), or null" },
  ),
  layerVersion: Type.Union([Type.Integer(), Type.Null()], {
    description: "The tenant's retrained layer that took part, or null (base model alone)",
  }),
  entities: Type.Object({
    orderNumbers: Type.Array(Type.String()),
    trackingNumbers: Type.Array(
      Type.Object({ value: Type.String(), carrier: Type.Union([Type.String(), Type.Null()]) }),
    ),
    phoneNumbers: Type.Array(Type.String()),
    amounts: Type.Array(
      Type.Object({
        text: Type.String(),
        minor: Type.Integer({ description: 'In the minor unit (fen, cents)' }),
        currency: Type.Union([Type.Literal('CNY'), Type.Literal('USD')]),
      }),
    ),
  }),
});
const Metrics = Type.Object({
  examples: Type.Integer(),
  accuracyBefore: Type.Number(),
  accuracyAfter: Type.Number(),
});
const TenantModel = Type.Object({
  layer: Type.Union([
    Type.Object({
      version: Type.Integer(),
      examples: Type.Integer(),
      metrics: Metrics,
      trainedAt: Type.String(),
    }),
    Type.Null(),
  ]),
  pendingCorrections: Type.Integer({ description: 'Corrections since the layer was trained' }),
  retrainAfter: Type.Integer({ description: 'A retrain is enqueued once this many are pending' }),
});

/**
 * The classifier as a service: the base model is loaded once at start and passed in; a tenant's rules and
 * layer come from the per-process tenant config cache (or the database without one).
 */
export const classifierRoutes: FastifyPluginAsyncTypebox<{
  model: Model;
  db: Db;
  configCache?: TenantConfigCache | undefined;
}> = async (app, { model, db, configCache }) => {
  app.post(
    '/classify',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags,
        summary:
          "Recognise an inquiry's category (with confidence and explanation) and its entities, with the " +
          "tenant's override rules and retrained layer",
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 20_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Classification, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const config = await readTenantConfig(db, actor.tenantId, { configCache });
      return classifyForTenant(model, config.classifier ?? NO_TENANT_CLASSIFIER, request.body.text);
    },
  );

  app.get(
    '/classifier/model',
    {
      config: { permission: 'classifier:manage' },
      schema: {
        tags,
        summary:
          "The tenant's retrained layer (version, metrics) and corrections waiting for the next retrain",
        response: { 200: TenantModel, ...problems(401, 403) },
      },
    },
    async (request) => {
      const { tenantId } = requireActor(request);
      const latest = await findLatestTenantModelInfo(db, tenantId);
      return {
        layer: latest
          ? {
              version: latest.version,
              examples: latest.examples,
              metrics: latest.metrics as { examples: number; accuracyBefore: number; accuracyAfter: number },
              trainedAt: latest.trainedAt.toISOString(),
            }
          : null,
        pendingCorrections: await countExamplesAfter(db, tenantId, latest?.lastExampleId ?? null),
        retrainAfter: RETRAIN_AFTER_CORRECTIONS,
      };
    },
  );

  app.post(
    '/classifier/retrain',
    {
      config: { permission: 'classifier:manage' },
      schema: {
        tags,
        summary: "Retrain the tenant's layer from its agents' corrections now (a background job)",
        response: { 202: Type.Object({ queued: Type.Boolean() }), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await db.transaction().execute(async (tx) => {
        await enqueueRetrain(tx, actor.tenantId);
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'classifier.retrain.requested',
          ip: request.ip,
        });
      });
      return reply.status(202).send({ queued: true });
    },
  );
};
